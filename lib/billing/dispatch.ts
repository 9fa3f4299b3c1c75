import { systemClock, type Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { listPendingEventIds } from "./inbox";
import { enqueueLocal } from "./local-queue";
import { processInboxEvent, type ProcessResult } from "./process";

/**
 * Hand a stored event to processing, after the provider has its 2xx: an Inngest event in
 * production (event id = inbox id, so a resend is deduplicated), or the in-process queue in
 * the embedded mode. If this is lost (crash, Inngest down), the sweep finds the row still
 * "received" and processes it: an accepted event is never lost.
 */
export async function dispatchInboxEvent(db: Db, eventId: string): Promise<void> {
  try {
    if (getEnv().scheduler === "inngest") {
      const { getInngest, webhookReceived } = await import("@/inngest/client");
      await getInngest().send(webhookReceived.create({ eventId }, { id: eventId }));
      return;
    }
    enqueueLocal(db, eventId);
  } catch (error) {
    logger.warn(`dispatch of ${eventId} deferred to the sweep`, { error: String(error) });
  }
}

/** Process every due event once (the in-process ticker and the Inngest cron call this). */
export async function processPendingInbox(db: Db, clock: Clock = systemClock, limit = 200): Promise<Record<ProcessResult, number>> {
  const counts: Record<ProcessResult, number> = { processed: 0, ignored: 0, retry: 0, failed: 0, skipped: 0 };
  for (const id of await listPendingEventIds(db, clock.now(), limit)) counts[await processInboxEvent(db, id, { clock })]++;
  return counts;
}
