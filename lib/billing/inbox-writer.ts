import { and, eq, or } from "drizzle-orm";
import { webhookEvents } from "@/drizzle/schema";
import type { Db } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import type { InboxConnection } from "./inbox";
import type { VerifiedWebhook } from "./types";

/**
 * The one way into the inbox (webhooks and reconciliation), keyed by (connection, provider
 * event id): a duplicate changes nothing and reports `duplicate: true`. Group commit: events
 * arriving while an insert is in flight are written together in the next multi-row insert;
 * each request still answers only after its own row is committed (or found to be a
 * duplicate), so nothing acknowledged is lost.
 * At low load a batch is one row and adds no wait; under load one round trip and one commit
 * serve many requests.
 */

type Item = {
  row: typeof webhookEvents.$inferInsert;
  resolve: (result: { id: string; duplicate: boolean }) => void;
  reject: (error: unknown) => void;
};

const MAX_BATCH = 200;
const queue: Item[] = [];
let flushing = false;

export function writeWebhookEvent(db: Db, connection: InboxConnection, event: VerifiedWebhook, body: string, source: "webhook" | "sync" = "webhook") {
  return new Promise<{ id: string; duplicate: boolean }>((resolve, reject) => {
    queue.push({
      row: {
        id: newId("evt"),
        workspaceId: connection.workspaceId,
        connectionId: connection.id,
        provider: connection.provider,
        providerEventId: event.providerEventId,
        type: event.type,
        body,
        source,
        occurredAt: event.occurredAt,
      },
      resolve,
      reject,
    });
    if (!flushing) void flush(db);
  });
}

async function flush(db: Db): Promise<void> {
  flushing = true;
  // Let the requests of this event-loop turn join the first batch.
  await new Promise((r) => setImmediate(r));
  try {
    while (queue.length > 0) {
      const batch = queue.splice(0, MAX_BATCH);
      try {
        await writeBatch(db, batch);
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
  } finally {
    flushing = false;
  }
}

const keyOf = (row: { connectionId: string; providerEventId: string }) => `${row.connectionId}\u0000${row.providerEventId}`;

async function writeBatch(db: Db, batch: Item[]): Promise<void> {
  const inserted = await db
    .insert(webhookEvents)
    .values(batch.map((item) => item.row))
    .onConflictDoNothing({ target: [webhookEvents.connectionId, webhookEvents.providerEventId] })
    .returning({ id: webhookEvents.id, connectionId: webhookEvents.connectionId, providerEventId: webhookEvents.providerEventId });
  const fresh = new Map(inserted.map((row) => [keyOf(row), row.id]));
  const duplicates: Item[] = [];
  for (const item of batch) {
    const key = keyOf(item.row);
    const id = fresh.get(key);
    if (id === item.row.id) {
      fresh.delete(key); // a second copy in the same batch is a duplicate of this one
      item.resolve({ id, duplicate: false });
    } else duplicates.push(item);
  }
  if (duplicates.length === 0) return;
  const existing = await db
    .select({ id: webhookEvents.id, connectionId: webhookEvents.connectionId, providerEventId: webhookEvents.providerEventId })
    .from(webhookEvents)
    .where(or(...duplicates.map((d) => and(eq(webhookEvents.connectionId, d.row.connectionId), eq(webhookEvents.providerEventId, d.row.providerEventId)))));
  const ids = new Map(existing.map((row) => [keyOf(row), row.id]));
  for (const item of duplicates) item.resolve({ id: ids.get(keyOf(item.row)) ?? item.row.id, duplicate: true });
}
