import Stripe from "stripe";
import type { WebhookRequest } from "@/lib/billing/types";
import { TEST_WEBHOOK_SECRET } from "../fakes/stripe-api";
import type { FakeStripeState, Json } from "../fakes/stripe-state";

/**
 * Webhook deliveries as Stripe sends them: the event JSON exactly as serialized, and a
 * Stripe-Signature header made by the SDK's own test helper.
 */
export function signWebhook(
  event: Json,
  o: { secret?: string; signedAt?: Date; now?: Date; body?: string; headers?: Record<string, string> } = {},
): WebhookRequest {
  const rawBody = o.body ?? JSON.stringify(event, null, 2);
  const signedAt = o.signedAt ?? o.now ?? new Date();
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: rawBody,
    secret: o.secret ?? TEST_WEBHOOK_SECRET,
    timestamp: Math.floor(signedAt.getTime() / 1000),
  });
  const headers = new Headers({ "content-type": "application/json", "stripe-signature": signature, ...o.headers });
  return { headers, rawBody, now: o.now ?? signedAt };
}

/**
 * An event about an object of the fake's state, as Stripe would deliver it: the snapshot is
 * taken now (later changes to the state do not alter it), optionally with edits that make
 * the snapshot stale or describe the previous attributes.
 */
export function eventAbout(
  state: FakeStripeState,
  type: string,
  object: Json,
  o: { snapshot?: (copy: Json) => void; previousAttributes?: Json; delivered?: boolean; created?: number } = {},
): Json {
  const copy = structuredClone(object);
  o.snapshot?.(copy);
  return state.addEvent(type, copy, o);
}
