import Stripe from "stripe";
import { WebhookRejected } from "@/lib/billing/errors";
import type { VerifiedWebhook, WebhookRequest } from "@/lib/billing/types";

/** Stripe's own default: a signature older than five minutes is a replay or a stuck queue. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Check the Stripe-Signature header against the exact bytes received, with the SDK's own
 * verification. During a secret rotation the endpoint has two secrets; either one will do.
 */
export function verifyStripeWebhook(secrets: readonly string[], request: WebhookRequest): VerifiedWebhook {
  const header = request.headers.get("stripe-signature");
  if (!header) {
    throw new WebhookRejected("Missing Stripe-Signature header: the request was not sent by Stripe, or a proxy removed the header.", 400);
  }
  if (secrets.length === 0) {
    throw new WebhookRejected("This Stripe connection has no webhook signing secret: add the endpoint's whsec_… secret to the connection.", 400);
  }
  let event: unknown = null;
  let failure: Error | null = null;
  for (const secret of secrets) {
    try {
      event = Stripe.webhooks.constructEvent(request.rawBody, header, secret, SIGNATURE_TOLERANCE_SECONDS, undefined, request.now.getTime());
      failure = null;
      break;
    } catch (error) {
      // A valid signature over a body that is not JSON: no other secret will change that.
      if (error instanceof SyntaxError) throw new WebhookRejected("The webhook body is not valid JSON.", 400);
      if (error instanceof Error && /thin event/i.test(error.message)) {
        throw new WebhookRejected("This is a thin (v2) event notification; point the snapshot-event destination at this endpoint instead.", 400);
      }
      failure = error instanceof Error ? error : new Error(String(error));
    }
  }
  if (failure) throw new WebhookRejected(rejectionMessage(failure), 400);
  return verifiedEvent(event);
}

function rejectionMessage(error: Error): string {
  if (/tolerance/i.test(error.message)) {
    return `The Stripe-Signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} seconds old: a replayed or long-delayed request.`;
  }
  if (/extract timestamp/i.test(error.message)) return "The Stripe-Signature header is malformed (no timestamp or v1 signature).";
  return "The Stripe-Signature does not match the body with any of this connection's webhook secrets: check the signing secret, and that nothing rewrote the body.";
}

function verifiedEvent(event: unknown): VerifiedWebhook {
  const candidate = event as Partial<Stripe.Event> | null;
  if (!candidate || typeof candidate.id !== "string" || typeof candidate.type !== "string" || typeof candidate.created !== "number") {
    throw new WebhookRejected("The webhook body is not a Stripe event (it needs an id, a type and a created time).", 400);
  }
  return fromStripeEvent(candidate as Stripe.Event);
}

/** The same shape for a pushed webhook and an event fetched during reconciliation. */
export function fromStripeEvent(event: Stripe.Event): VerifiedWebhook {
  return { providerEventId: event.id, type: event.type, occurredAt: new Date(event.created * 1000), payload: event };
}
