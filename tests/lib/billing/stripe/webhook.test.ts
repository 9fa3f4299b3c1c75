import { describe, expect, it } from "vitest";
import { WebhookRejected } from "@/lib/billing/errors";
import { createStripeProvider } from "@/lib/billing/stripe";
import { stripeContextFor, TEST_WEBHOOK_SECRET } from "../../../fakes/stripe-api";
import { FakeStripeState } from "../../../fakes/stripe-state";
import { signWebhook } from "../../../helpers/stripe-events";

// Signature checks need no API: the provider is pointed nowhere and must not call out.
const provider = (secrets = [TEST_WEBHOOK_SECRET]) => createStripeProvider(stripeContextFor(null, { credentials: { webhookSecrets: secrets } }));

function anEvent() {
  const state = new FakeStripeState();
  const customer = state.addCustomer();
  const invoice = state.addInvoice(customer.id, { amountDue: 2500 });
  return state.addEvent("invoice.payment_failed", invoice, { created: 1_767_225_600 });
}

function rejection(run: () => unknown): WebhookRejected {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookRejected) return error;
    throw error;
  }
  throw new Error("expected the webhook to be rejected");
}

describe("Stripe verifyWebhook", () => {
  const now = new Date("2026-01-01T00:00:00Z");

  it("accepts a correctly signed event and returns its id, type, time and payload", () => {
    const event = anEvent();
    const verified = provider().verifyWebhook(signWebhook(event, { now }));
    expect(verified.providerEventId).toBe(event.id);
    expect(verified.type).toBe("invoice.payment_failed");
    expect(verified.occurredAt).toEqual(new Date(1_767_225_600_000));
    expect((verified.payload as { data: { object: { amount_due: number } } }).data.object.amount_due).toBe(2500);
  });

  it("rejects a body changed after signing (the signed bytes are what count)", () => {
    const request = signWebhook(anEvent(), { now });
    const tampered = { ...request, rawBody: request.rawBody.replace('"amount_due": 2500', '"amount_due": 1') };
    expect(tampered.rawBody).not.toBe(request.rawBody);
    const error = rejection(() => provider().verifyWebhook(tampered));
    expect(error.httpStatus).toBe(400);
    expect(error.message).toMatch(/does not match/);
  });

  it("rejects a signature made with another secret", () => {
    const error = rejection(() => provider().verifyWebhook(signWebhook(anEvent(), { now, secret: "whsec_someone_else" })));
    expect(error.httpStatus).toBe(400);
    expect(error.message).toMatch(/webhook secrets/);
  });

  it("rejects a signature older than 300 seconds at the time of receipt, and accepts one at 299", () => {
    const event = anEvent();
    const signedAt = new Date(now.getTime() - 301_000);
    const error = rejection(() => provider().verifyWebhook(signWebhook(event, { signedAt, now })));
    expect(error.httpStatus).toBe(400);
    expect(error.message).toMatch(/more than 300 seconds old/);
    expect(() => provider().verifyWebhook(signWebhook(event, { signedAt: new Date(now.getTime() - 299_000), now }))).not.toThrow();
  });

  it("rejects a request without a Stripe-Signature header", () => {
    const request = signWebhook(anEvent(), { now });
    request.headers.delete("stripe-signature");
    const error = rejection(() => provider().verifyWebhook(request));
    expect(error.httpStatus).toBe(400);
    expect(error.message).toMatch(/Missing Stripe-Signature/);
  });

  it("accepts either secret while the signing secret is being rotated", () => {
    const rotating = provider(["whsec_old_secret", "whsec_new_secret"]);
    const event = anEvent();
    expect(rotating.verifyWebhook(signWebhook(event, { now, secret: "whsec_new_secret" })).providerEventId).toBe(event.id);
    expect(rotating.verifyWebhook(signWebhook(event, { now, secret: "whsec_old_secret" })).providerEventId).toBe(event.id);
    expect(() => rotating.verifyWebhook(signWebhook(event, { now, secret: "whsec_third" }))).toThrow(WebhookRejected);
  });

  it("rejects a correctly signed body that is not JSON, or not an event", () => {
    const notJson = rejection(() => provider().verifyWebhook(signWebhook(null, { now, body: "{not json" })));
    expect(notJson.httpStatus).toBe(400);
    expect(notJson.message).toMatch(/not valid JSON/);
    const notEvent = rejection(() => provider().verifyWebhook(signWebhook(null, { now, body: '{"hello":"world"}' })));
    expect(notEvent.message).toMatch(/not a Stripe event/);
  });

  it("answers null for event types Dunwell does not handle, so they are stored as ignored", async () => {
    const state = new FakeStripeState();
    const event = state.addEvent("plan.created", { id: "plan_1", object: "plan" });
    const verified = provider().verifyWebhook(signWebhook(event, { now }));
    await expect(provider().normalizeWebhook(verified)).resolves.toBeNull();
  });
});
