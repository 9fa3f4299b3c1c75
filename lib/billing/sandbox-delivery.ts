import { and, eq } from "drizzle-orm";
import { connections, type Connection } from "@/drizzle/schema";
import { systemClock, type Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { contextFor } from "./providers";
import { deliverSandboxEvents } from "./sandbox/events";
import { receiveWebhook, type Defer } from "./webhooks";

/**
 * The sandbox "sends" its webhooks through the very path a provider's take (verify, store,
 * acknowledge, hand off), only without the network: each signed event becomes a Request to
 * receiveWebhook. A non-2xx answer stops delivery; the next pass resends from there.
 */
export async function deliverSandboxConnection(db: Db, connection: Connection, options: { clock?: Clock; defer?: Defer } = {}): Promise<number> {
  // Processing is left to the caller's sweep (processPendingInbox) unless a defer is given.
  const clock = options.clock ?? systemClock;
  const url = `${getEnv().appUrl}/api/webhooks/sandbox/${connection.id}`;
  return deliverSandboxEvents(contextFor(db, connection, clock), async ({ body, headers }) => {
    const result = await receiveWebhook("sandbox", connection.id, new Request(url, { method: "POST", headers, body }), { clock, defer: options.defer ?? (() => {}) });
    if (result.status !== 200) throw new Error(`sandbox delivery refused with ${result.status}: ${JSON.stringify(result.body)}`);
  });
}

/** Deliver pending events of every active sandbox connection (the ticker's job). */
export async function deliverAllSandboxEvents(db: Db, options: { clock?: Clock; defer?: Defer } = {}): Promise<number> {
  const rows = await db.select().from(connections).where(and(eq(connections.provider, "sandbox"), eq(connections.status, "active")));
  let delivered = 0;
  for (const connection of rows) delivered += await deliverSandboxConnection(db, connection, options);
  return delivered;
}
