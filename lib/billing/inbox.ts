import { and, desc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { webhookEvents, type InboxStatus, type ProviderKind, type WebhookEvent } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { VerifiedWebhook } from "./types";

export type InboxConnection = { id: string; workspaceId: string; provider: ProviderKind };

/**
 * Store a verified event in the inbox, keyed by (connection, provider event id). A duplicate
 * changes nothing and reports `duplicate: true`. Callers acknowledge only after this returns.
 */
export async function storeWebhookEvent(
  db: DbOrTx,
  connection: InboxConnection,
  event: VerifiedWebhook,
  body: string,
  source: "webhook" | "sync" = "webhook",
): Promise<{ id: string; duplicate: boolean }> {
  const id = newId("evt");
  const inserted = await db
    .insert(webhookEvents)
    .values({
      id,
      workspaceId: connection.workspaceId,
      connectionId: connection.id,
      provider: connection.provider,
      providerEventId: event.providerEventId,
      type: event.type,
      body,
      source,
      occurredAt: event.occurredAt,
    })
    .onConflictDoNothing({ target: [webhookEvents.connectionId, webhookEvents.providerEventId] })
    .returning({ id: webhookEvents.id });
  if (inserted.length > 0) return { id, duplicate: false };
  const [existing] = await db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(and(eq(webhookEvents.connectionId, connection.id), eq(webhookEvents.providerEventId, event.providerEventId)));
  return { id: existing!.id, duplicate: true };
}

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
