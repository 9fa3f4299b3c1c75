import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { WebhookRejected } from "@/lib/billing/errors";
import type { ChargebeeCredentials, VerifiedWebhook, WebhookRequest } from "@/lib/billing/types";

/**
 * Chargebee signs nothing: a webhook proves itself with the HTTP Basic credentials set on
 * the webhook endpoint. Both parts are compared in constant time, as SHA-256 digests so the
 * lengths are equal and the comparison does not reveal how long the secret is.
 */

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

function basicCredentials(header: string | null): { username: string; password: string } | null {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

const eventEnvelope = z.object({
  id: z.string().min(1),
  event_type: z.string().min(1),
  occurred_at: z.number().int().nonnegative(),
  content: z.record(z.string(), z.unknown()).optional(),
});

export function verifyChargebeeWebhook(credentials: ChargebeeCredentials, request: WebhookRequest): VerifiedWebhook {
  const given = basicCredentials(request.headers.get("authorization"));
  if (!given) throw new WebhookRejected("The Chargebee webhook carried no Basic credentials.", 401);
  // An unconfigured username or password must never match an empty one.
  const configured = credentials.webhookUsername.length > 0 && credentials.webhookPassword.length > 0;
  // Both comparisons always run, so timing does not tell which part was wrong.
  const userOk = sameSecret(given.username, credentials.webhookUsername);
  const passwordOk = sameSecret(given.password, credentials.webhookPassword);
  if (!configured || !userOk || !passwordOk) throw new WebhookRejected("The Chargebee webhook credentials do not match this connection.", 401);

  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    throw new WebhookRejected("The Chargebee webhook body is not JSON.", 400);
  }
  const parsed = eventEnvelope.safeParse(body);
  if (!parsed.success) throw new WebhookRejected("The Chargebee webhook body is not an event (id, event_type, occurred_at).", 400);
  return {
    providerEventId: parsed.data.id,
    type: parsed.data.event_type,
    occurredAt: new Date(parsed.data.occurred_at * 1000),
    payload: body,
  };
}

/** An event from the events API, in the shape a verified webhook has (reconciliation stores both alike). */
export function eventAsWebhook(event: { id: string; event_type?: string; occurred_at: number }): VerifiedWebhook {
  return { providerEventId: event.id, type: event.event_type ?? "unknown", occurredAt: new Date(event.occurred_at * 1000), payload: event };
}
