import type { ProviderKind } from "@/drizzle/schema";
import { systemClock, type Clock } from "@/lib/clock";
import { getDb, type Db } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { getConnectionCached } from "./connections";
import { dispatchInboxEvent } from "./dispatch";
import { WebhookRejected } from "./errors";
import { writeWebhookEvent } from "./inbox-writer";
import { providerFor } from "./providers";

export const MAX_WEBHOOK_BYTES = 1024 * 1024;

export type WebhookResult = { status: number; body: Record<string, unknown>; eventId?: string };

/** Runs the hand-off after the response is sent (Next's `after`), or at once elsewhere. */
export type Defer = (task: () => Promise<void>) => void;

const answer = (status: number, body: Record<string, unknown>): WebhookResult => ({ status, body });

/**
 * The webhook endpoint's whole job: size limit, verify the raw bytes, store in the inbox
 * (deduplicated by provider event id), answer 2xx, hand off. Nothing is stored unless the
 * request verified; if the database cannot take it, 503 so the provider retries.
 */
export async function receiveWebhook(
  provider: ProviderKind,
  connectionId: string,
  request: Request,
  options: { defer?: Defer; clock?: Clock } = {},
): Promise<WebhookResult> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_WEBHOOK_BYTES) return answer(413, { error: "Payload larger than 1 MiB." });
  const rawBody = await request.text();
  if (Buffer.byteLength(rawBody) > MAX_WEBHOOK_BYTES) return answer(413, { error: "Payload larger than 1 MiB." });

  let db: Db;
  try {
    db = await getDb();
  } catch {
    return answer(503, { error: "Storage is unavailable; retry later." });
  }
  try {
    const connection = await getConnectionCached(db, connectionId);
    if (connection.provider !== provider || connection.status !== "active") throw new AppError("not_found", "Unknown webhook endpoint.");
    const verified = providerFor(db, connection, options.clock ?? systemClock).verifyWebhook({
      headers: request.headers,
      rawBody,
      now: (options.clock ?? systemClock).now(),
    });
    const stored = await writeWebhookEvent(db, connection, verified, rawBody);
    if (!stored.duplicate) {
      const handOff = () => dispatchInboxEvent(db, stored.id);
      if (options.defer) options.defer(handOff);
      else void handOff();
    }
    return { status: 200, body: { received: true, duplicate: stored.duplicate }, eventId: stored.id };
  } catch (error) {
    if (error instanceof WebhookRejected) return answer(error.httpStatus, { error: error.message });
    if (isAppError(error) && error.code === "not_found") return answer(404, { error: "Unknown webhook endpoint." });
    logger.error("webhook could not be stored", { provider, connectionId, error: String(error) });
    return answer(503, { error: "Storage is unavailable; retry later." });
  }
}
