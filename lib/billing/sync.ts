import { eq } from "drizzle-orm";
import { connections, type Connection, type SyncState } from "@/drizzle/schema";
import { systemClock, type Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { applyNormalizedEvents } from "./apply";
import { getConnection } from "./connections";
import { processPendingInbox } from "./dispatch";
import { writeWebhookEvent } from "./inbox-writer";
import { providerFor } from "./providers";
import type { BillingProvider, NormalizedEvent, Page } from "./types";

/**
 * Reconciliation. The first sync of a connection backfills customers, subscriptions, payment
 * methods and open invoices; every sync then stores the events the provider says it could
 * not deliver (Stripe: delivery_success=false, 30 days; Chargebee: all since the last seen)
 * and refreshes open invoices. Progress is written to the connection (the admin's bar) and
 * reported to `onProgress` (the CLI's bar).
 */

export type SyncReport = { backfilled: boolean; customers: number; subscriptions: number; paymentMethods: number; invoices: number; missedEvents: number; processed: number };
export type SyncOptions = { since?: Date; clock?: Clock; onProgress?: (state: SyncState) => void };

const THIRTY_DAYS = 30 * 24 * 3600 * 1000;
const STALE_SYNC_MS = 15 * 60 * 1000;

async function setState(db: Db, connectionId: string, state: SyncState, onProgress?: (s: SyncState) => void) {
  await db.update(connections).set({ syncState: state }).where(eq(connections.id, connectionId));
  onProgress?.(state);
}

async function eachPage<T>(list: (cursor: string | null) => Promise<Page<T>>, visit: (items: T[]) => Promise<void>) {
  let cursor: string | null = null;
  do {
    const page: Page<T> = await list(cursor);
    await visit(page.items);
    cursor = page.next;
  } while (cursor);
}

export async function syncConnection(db: Db, connectionId: string, options: SyncOptions & { workspaceId?: string } = {}): Promise<SyncReport> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const connection = await getConnection(db, connectionId, options.workspaceId);
  const running = ["backfill", "events", "invoices"].includes(connection.syncState.phase);
  const heartbeat = Date.parse(connection.syncState.heartbeatAt ?? connection.syncState.startedAt ?? "") || 0;
  // A sync that has not reported for 15 minutes died with its process; a new one may start.
  if (running && clock.now().getTime() - heartbeat < STALE_SYNC_MS) throw new AppError("conflict", "A sync of this connection is already running.");
  const provider = providerFor(db, connection, clock);
  const scope = { workspaceId: connection.workspaceId, connectionId: connection.id };
  const report: SyncReport = { backfilled: false, customers: 0, subscriptions: 0, paymentMethods: 0, invoices: 0, missedEvents: 0, processed: 0 };
  let done = 0;
  const progress = (phase: SyncState["phase"], message?: string) =>
    setState(db, connection.id, { phase, done, total: null, message, startedAt: started.toISOString(), heartbeatAt: clock.now().toISOString() }, options.onProgress);
  const apply = (events: NormalizedEvent[]) => db.transaction((tx) => applyNormalizedEvents(tx, scope, events, []));

  try {
    if (!connection.backfilledAt) {
      await progress("backfill", "customers");
      await eachPage(provider.listCustomers.bind(provider), async (items) => {
        await apply(items.map((customer) => ({ type: "customer.updated", occurredAt: started, customer })));
        for (const customer of items) {
          const methods = await provider.listPaymentMethods(customer.externalId);
          await apply(methods.map((paymentMethod) => ({ type: "payment_method.updated", occurredAt: started, paymentMethod })));
          report.paymentMethods += methods.length;
        }
        report.customers += items.length;
        done += items.length;
        await progress("backfill", "customers");
      });
      await eachPage(provider.listSubscriptions.bind(provider), async (items) => {
        await apply(items.map((subscription) => ({ type: "subscription.updated", occurredAt: started, subscription })));
        report.subscriptions += items.length;
        done += items.length;
        await progress("backfill", "subscriptions");
      });
      report.backfilled = true;
    }

    await progress("events", "undelivered events");
    const since = options.since ?? connection.lastSyncedAt ?? new Date(started.getTime() - THIRTY_DAYS);
    report.missedEvents = await storeMissedEvents(db, connection, provider, since);
    done += report.missedEvents;

    await progress("invoices", "open invoices");
    await eachPage(provider.listOpenInvoices.bind(provider), async (items) => {
      await apply(items.map((invoice) => ({ type: "invoice.updated", occurredAt: started, invoice })));
      report.invoices += items.length;
      done += items.length;
      await progress("invoices", "open invoices");
    });

    const counts = await processPendingInbox(db, clock);
    report.processed = counts.processed + counts.ignored;
    await db
      .update(connections)
      .set({ lastSyncedAt: started, ...(report.backfilled ? { backfilledAt: started } : {}) })
      .where(eq(connections.id, connection.id));
    await setState(db, connection.id, { phase: "done", done, total: done, startedAt: started.toISOString(), finishedAt: clock.now().toISOString() }, options.onProgress);
    return report;
  } catch (error) {
    await setState(db, connection.id, { phase: "failed", done, total: null, message: error instanceof Error ? error.message : String(error), startedAt: started.toISOString() }, options.onProgress);
    throw error;
  }
}

async function storeMissedEvents(db: Db, connection: Connection, provider: BillingProvider, since: Date): Promise<number> {
  let stored = 0;
  let cursor: string | null = null;
  do {
    const page = await provider.listMissedEvents({ since, cursor });
    for (const event of page.items) {
      const result = await writeWebhookEvent(db, connection, event, JSON.stringify(event.payload), "sync");
      if (!result.duplicate) stored++;
    }
    cursor = page.next;
  } while (cursor);
  return stored;
}
