import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { webhookEvents, type WebhookEvent } from "@/drizzle/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import { systemClock, type Clock } from "@/lib/clock";
import type { Db, DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { getConnection } from "./connections";
import { isProviderError } from "./errors";
import { dunningListener } from "@/lib/dunning/listener";
import { predunningListener } from "@/lib/messaging/predunning";
import { applyNormalizedEvents, type BillingListener } from "./apply";
import { providerFor } from "./providers";
import { missingParents, type Scope } from "./store";
import type { BillingProvider, NormalizedEvent } from "./types";

/**
 * Turn a stored webhook into Dunwell's records. Runs after the acknowledgement (Inngest in
 * production, the in-process queue in the embedded mode), may run twice or out of order, and
 * converges: adapters re-fetch stale snapshots and the store keeps the newest version.
 */

export const MAX_PROCESSING_ATTEMPTS = 8;
const LEASE_MS = 60_000;

/** 10 s, 20 s, 40 s … capped at one hour; a provider's Retry-After wins when longer. */
export function backoffMs(attempt: number, retryAfterMs: number | null = null): number {
  const exponential = Math.min(10_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
  return Math.max(exponential, retryAfterMs ?? 0);
}

export type ProcessResult = "processed" | "ignored" | "retry" | "failed" | "skipped";

// The dunning engine and pre-dunning react to every processed event, in the same transaction.
const listeners: BillingListener[] = [dunningListener, predunningListener];
/** Later parts (the dunning engine) react to billing events inside the same transaction. */
export function onBillingEvents(listener: BillingListener): void {
  if (!listeners.includes(listener)) listeners.push(listener);
}

/** Take the event for this worker: received and due, or processing with an expired lease. */
async function claim(db: Db, eventId: string, now: Date): Promise<WebhookEvent | null> {
  const [row] = await db
    .update(webhookEvents)
    .set({ status: "processing", attempts: sql`${webhookEvents.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
    .where(
      and(
        eq(webhookEvents.id, eventId),
        or(
          and(eq(webhookEvents.status, "received"), or(isNull(webhookEvents.nextAttemptAt), lte(webhookEvents.nextAttemptAt, now))),
          and(eq(webhookEvents.status, "processing"), lte(webhookEvents.nextAttemptAt, now)),
        ),
      ),
    )
    .returning();
  return row ?? null;
}

/** Fetch the parents an event refers to but Dunwell lacks, before the transaction (no network inside it). */
async function fetchParents(db: Db, scope: Scope, provider: BillingProvider, events: NormalizedEvent[], now: Date): Promise<NormalizedEvent[]> {
  const missing = await missingParents(db, scope, events);
  const parents: NormalizedEvent[] = [];
  for (const id of missing.customers) parents.push({ type: "customer.updated", occurredAt: now, customer: await provider.getCustomer(id) });
  for (const id of missing.subscriptions) parents.push({ type: "subscription.updated", occurredAt: now, subscription: await provider.getSubscription(id) });
  for (const id of missing.invoices) parents.push({ type: "invoice.updated", occurredAt: now, invoice: await provider.getInvoice(id) });
  if (parents.length === 0) return [];
  // The parents' own parents (an invoice's customer) may be missing too.
  return [...(await fetchParents(db, scope, provider, parents, now)), ...parents];
}

export async function processInboxEvent(db: Db, eventId: string, options: { clock?: Clock } = {}): Promise<ProcessResult> {
  const clock = options.clock ?? systemClock;
  const now = clock.now();
  const event = await claim(db, eventId, now);
  if (!event) return "skipped";
  try {
    const connection = await getConnection(db, event.connectionId, event.workspaceId);
    const provider = providerFor(db, connection, clock);
    const normalized = await provider.normalizeWebhook({
      providerEventId: event.providerEventId,
      type: event.type,
      occurredAt: event.occurredAt,
      payload: JSON.parse(event.body) as unknown,
    });
    if (normalized === null) {
      await finish(db, event.id, "ignored", now);
      return "ignored";
    }
    const scope = { workspaceId: event.workspaceId, connectionId: event.connectionId };
    const parents = await fetchParents(db, scope, provider, normalized, now);
    await db.transaction(async (tx) => {
      await applyNormalizedEvents(tx, scope, [...parents, ...normalized], listeners, { parentsCount: parents.length, clock });
      await finish(tx, event.id, "processed", now);
    });
    return "processed";
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (event.attempts >= MAX_PROCESSING_ATTEMPTS) {
      await db.update(webhookEvents).set({ status: "failed", lastError: message, nextAttemptAt: null }).where(eq(webhookEvents.id, event.id));
      logger.warn(`webhook ${event.id} failed after ${event.attempts} attempts`, { error: message });
      return "failed";
    }
    const wait = backoffMs(event.attempts, isProviderError(error) ? error.retryAfterMs : null);
    await db
      .update(webhookEvents)
      .set({ status: "received", lastError: message, nextAttemptAt: new Date(now.getTime() + wait) })
      .where(eq(webhookEvents.id, event.id));
    return "retry";
  }
}

async function finish(db: DbOrTx, id: string, status: "processed" | "ignored", now: Date) {
  await db.update(webhookEvents).set({ status, processedAt: now, nextAttemptAt: null, lastError: null }).where(eq(webhookEvents.id, id));
}

/** An operator's Replay: back to received, attempts reset; processing follows. Audited. */
export async function replayInboxEvent(db: Db, workspaceId: string, eventId: string, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEvents)
      .set({ status: "received", attempts: 0, nextAttemptAt: null, lastError: null, processedAt: null })
      .where(and(eq(webhookEvents.id, eventId), eq(webhookEvents.workspaceId, workspaceId)))
      .returning({ id: webhookEvents.id, type: webhookEvents.type });
    if (!row) throw new AppError("not_found", "No such event in this workspace's inbox.");
    await recordAudit(tx, { workspaceId, actor, action: "inbox.replayed", targetType: "webhook_event", targetId: eventId, data: { type: row.type } });
  });
}
