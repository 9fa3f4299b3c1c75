import { and, desc, eq } from "drizzle-orm";
import { auditLog } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { newId } from "@/lib/ids";

/** Who did it: an operator, the CLI, or the system (engine, webhooks). */
export type Actor = { kind: "user"; userId: string } | { kind: "cli" } | { kind: "system" };

export const actorLabel = (actor: Actor): string => (actor.kind === "user" ? `user:${actor.userId}` : actor.kind);

export type AuditInput = {
  workspaceId: string;
  actor: Actor;
  action: string;
  targetType: string;
  targetId: string;
  data?: Record<string, unknown>;
  at?: Date;
};

/** Write in the same transaction as the change it describes. */
export async function recordAudit(db: DbOrTx, entry: AuditInput): Promise<void> {
  await db.insert(auditLog).values({
    id: newId("aud"),
    workspaceId: entry.workspaceId,
    actor: actorLabel(entry.actor),
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    data: entry.data ?? {},
    ...(entry.at ? { at: entry.at } : {}),
  });
}

export async function listAudit(db: DbOrTx, workspaceId: string, options: { limit?: number; action?: string } = {}) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.workspaceId, workspaceId), options.action ? eq(auditLog.action, options.action) : undefined))
    .orderBy(desc(auditLog.at))
    .limit(options.limit ?? 100);
}
