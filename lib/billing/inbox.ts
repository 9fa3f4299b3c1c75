import { and, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { webhookEvents, type InboxStatus, type ProviderKind, type WebhookEvent } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

export type InboxConnection = { id: string; workspaceId: string; provider: ProviderKind };

export type InboxFilter = { connectionId?: string; type?: string; status?: InboxStatus; limit?: number };

export async function listInbox(db: DbOrTx, workspaceId: string, filter: InboxFilter = {}): Promise<WebhookEvent[]> {
  return db
    .select()
    .from(webhookEvents)
    .where(
      and(
        eq(webhookEvents.workspaceId, workspaceId),
        filter.connectionId ? eq(webhookEvents.connectionId, filter.connectionId) : undefined,
        filter.type ? eq(webhookEvents.type, filter.type) : undefined,
        filter.status ? eq(webhookEvents.status, filter.status) : undefined,
      ),
    )
    .orderBy(desc(webhookEvents.receivedAt), desc(webhookEvents.id))
    .limit(filter.limit ?? 100);
}

export async function getInboxEvent(db: DbOrTx, workspaceId: string, id: string): Promise<WebhookEvent> {
  const [row] = await db.select().from(webhookEvents).where(and(eq(webhookEvents.workspaceId, workspaceId), eq(webhookEvents.id, id)));
  if (!row) throw new AppError("not_found", "No such event in this workspace's inbox.");
  return row;
}

export async function countInboxByStatus(db: DbOrTx, workspaceId: string): Promise<Record<InboxStatus, number>> {
  const rows = await db
    .select({ status: webhookEvents.status, n: sql<number>`count(*)::int` })
    .from(webhookEvents)
    .where(eq(webhookEvents.workspaceId, workspaceId))
    .groupBy(webhookEvents.status);
  const counts = { received: 0, processing: 0, processed: 0, ignored: 0, failed: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** Events that still need processing (received, or failed with a retry due), oldest first. */
export async function listPendingEventIds(db: DbOrTx, now: Date, limit = 100): Promise<string[]> {
  const rows = await db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(
      and(
        inArray(webhookEvents.status, ["received", "processing"]),
        or(isNull(webhookEvents.nextAttemptAt), lte(webhookEvents.nextAttemptAt, now)),
      ),
    )
    .orderBy(webhookEvents.occurredAt, webhookEvents.receivedAt)
    .limit(limit);
  return rows.map((r) => r.id);
}
