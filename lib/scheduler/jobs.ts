import { connections } from "@/drizzle/schema";
import { processPendingInbox } from "@/lib/billing/dispatch";
import { deliverAllSandboxEvents } from "@/lib/billing/sandbox-delivery";
import { syncConnection } from "@/lib/billing/sync";
import { getDb } from "@/lib/db/client";
import { runDueSteps } from "@/lib/dunning/engine";
import { retryFailedNotices } from "@/lib/messaging/notice-retry";
import { runPredunning } from "@/lib/messaging/predunning";
import { eq } from "drizzle-orm";
import { logger } from "@/lib/log";
import { registerTickJob } from "./inprocess";

const RECONCILE_EVERY_MS = 15 * 60 * 1000;
/** Hourly, not daily: a card-expiry notice deferred to a customer's sending hours needs a pass inside them. */
const PREDUNNING_EVERY_MS = 60 * 60 * 1000;
/** The portal's failed notices wait 5 minutes or more between tries (lib/messaging/notice-retry.ts). */
const NOTICE_RETRY_EVERY_MS = 5 * 60 * 1000;

/** The embedded scheduler's work; Inngest functions do the same in production. */
export function registerDefaultJobs(): void {
  registerTickJob({
    name: "sandbox-delivery",
    run: async (now) => {
      await deliverAllSandboxEvents(await getDb(), { clock: { now: () => now } });
    },
  });
  registerTickJob({
    name: "billing-inbox",
    run: async (now) => {
      await processPendingInbox(await getDb(), { now: () => now });
    },
  });
  registerTickJob({
    name: "dunning-engine",
    run: async (now) => {
      await runDueSteps(await getDb(), { now });
    },
  });
  registerTickJob({
    name: "predunning",
    everyMs: PREDUNNING_EVERY_MS,
    run: async (now) => {
      await runPredunning(await getDb(), { now });
    },
  });
  registerTickJob({
    name: "notice-retry",
    everyMs: NOTICE_RETRY_EVERY_MS,
    run: async (now) => {
      await retryFailedNotices(await getDb(), { now });
    },
  });
  registerTickJob({
    name: "billing-reconcile",
    everyMs: RECONCILE_EVERY_MS,
    run: async () => {
      const db = await getDb();
      const active = await db.select({ id: connections.id }).from(connections).where(eq(connections.status, "active"));
      for (const { id } of active) {
        await syncConnection(db, id).catch((error) => logger.warn(`scheduled sync of ${id} failed`, { error: String(error) }));
      }
    },
  });
}
