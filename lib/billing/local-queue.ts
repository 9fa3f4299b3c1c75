import type { Db } from "@/lib/db/client";
import { logger } from "@/lib/log";
import { processInboxEvent } from "./process";

/**
 * The embedded mode's in-process queue: stored events are processed one at a time, in the
 * order received, off the request path. One worker keeps processing transactions from
 * crowding out the inserts of new webhooks on the single embedded database. Ids only are
 * held in memory; the rows are the truth, and the sweep takes over anything left behind.
 */
const pending: string[] = [];
let draining = false;

export function enqueueLocal(db: Db, eventId: string): void {
  pending.push(eventId);
  if (!draining) void drain(db);
}

async function drain(db: Db): Promise<void> {
  draining = true;
  try {
    for (let id = pending.shift(); id; id = pending.shift()) {
      await processInboxEvent(db, id).catch((error) => logger.warn(`processing ${id} failed; the sweep will retry`, { error: String(error) }));
    }
  } finally {
    draining = false;
  }
}

export const localQueueLength = () => pending.length;
