import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeProvider } from "@/lib/billing/stripe";
import type { BillingProvider, NormalizedEvent } from "@/lib/billing/types";
import { fixedClock } from "@/lib/clock";
import { startFakeStripe, stripeContextFor, type FakeStripe } from "../../../fakes/stripe-api";
import type { CardBehaviour, Json } from "../../../fakes/stripe-state";
import { eventAbout, signWebhook } from "../../../helpers/stripe-events";

let fake: FakeStripe;
let stripe: BillingProvider;
// Fresh reads are stamped with the adapter's clock, a minute after the events were created.
const clock = fixedClock(new Date(Date.now() + 60_000));

beforeAll(async () => {
  fake = await startFakeStripe();
  stripe = createStripeProvider(stripeContextFor(fake, { clock }));
});
afterAll(() => fake.close());

const insufficientFunds: CardBehaviour = { outcome: "decline", declineCode: "insufficient_funds", adviceCode: "try_again_later", networkAdviceCode: "02", networkDeclineCode: "51" };

/** A subscriber with a card behaving as given, a subscription, and its open invoice. */
function subscriber(behaviour: CardBehaviour = { outcome: "succeed" }, amountDue = 4900) {
  const { state } = fake;
  const customer = state.addCustomer({ email: "grace@example.com" });
  const card = state.addCard(customer.id, { brand: "mastercard", last4: "4444", behaviour });
  const subscription = state.addSubscription(customer.id, { unitAmount: amountDue });
  const invoice = state.addInvoice(customer.id, { subscriptionId: subscription.id, amountDue, nextPaymentAttempt: state.now() + 3 * 86400 });
  return { customer, card, subscription, invoice };
}

async function normalize(event: Json): Promise<NormalizedEvent[]> {
  const verified = stripe.verifyWebhook(signWebhook(event));
  const normalized = await stripe.normalizeWebhook(verified);
  if (!normalized) throw new Error(`${event.type} was not handled`);
  return normalized;
}

describe("Stripe invoice event handlers", () => {
  it("invoice.payment_failed: the fresh invoice and the declined charge with its decline and advice codes", async () => {
    const { customer, card, subscription, invoice } = subscriber(insufficientFunds);
    const { charge } = fake.state.attemptInvoice(invoice.id);
    const [event, ...rest] = await normalize(eventAbout(fake.state, "invoice.payment_failed", invoice));
    expect(rest).toHaveLength(0);
    expect(event!.type).toBe("payment.failed");
    expect(event!.invoice).toMatchObject({
      externalId: invoice.id,
      customerExternalId: customer.id,
      subscriptionExternalId: subscription.id,
      status: "open",
      amountDue: 4900,
      amountRemaining: 4900,
      currency: "eur",
      attemptCount: 1,
      nextPaymentAttemptAt: new Date(invoice.next_payment_attempt * 1000),
      version: clock.now().getTime(),
    });
    expect(event!.attempt).toMatchObject({
      externalId: charge!.id,
      invoiceExternalId: invoice.id,
      customerExternalId: customer.id,
      paymentMethodExternalId: card.id,
      cardBrand: "mastercard",
      cardFingerprint: card.card.fingerprint,
      amount: 4900,
      currency: "eur",
      status: "failed",
      declineCode: "insufficient_funds",
      failureCode: "card_declined",
      adviceCode: "try_again_later",
      networkAdviceCode: "02",
      networkDeclineCode: "51",
      initiatedBy: "provider",
      idempotencyKey: null,
    });
  });

  it("invoice.payment_succeeded: the paid invoice and the succeeded charge", async () => {
    const { invoice } = subscriber();
    const { charge } = fake.state.attemptInvoice(invoice.id);
    const [event] = await normalize(eventAbout(fake.state, "invoice.payment_succeeded", invoice));
    expect(event!.type).toBe("payment.succeeded");
    expect(event!.invoice).toMatchObject({ status: "paid", amountPaid: 4900, amountRemaining: 0, paidAt: expect.any(Date) });
    expect(event!.attempt).toMatchObject({ externalId: charge!.id, status: "succeeded", declineCode: null, failureCode: null, amount: 4900 });
  });

  it("invoice.payment_action_required: the attempt waits for 3-D Secure on the invoice's PaymentIntent", async () => {
    const { invoice } = subscriber({ outcome: "requires_action" });
    fake.state.attemptInvoice(invoice.id);
    const [event] = await normalize(eventAbout(fake.state, "invoice.payment_action_required", invoice));
    expect(event!.type).toBe("payment.action_required");
    expect(event!.attempt).toMatchObject({ externalId: fake.state.defaultIntentOf(invoice.id).id, status: "requires_action", amount: 4900 });
  });

  it("invoice.payment_failed with no charge made (authentication required off-session): the intent's own error is the attempt", async () => {
    const { card, invoice } = subscriber({ outcome: "requires_action" });
    const intent = fake.state.defaultIntentOf(invoice.id);
    fake.state.confirm(intent, card.id, { offSession: true });
    const [event] = await normalize(eventAbout(fake.state, "invoice.payment_failed", invoice));
    expect(event!.attempt).toMatchObject({ externalId: intent.id, status: "requires_action", declineCode: "authentication_required", failureCode: "authentication_required" });
  });

  it.each([
    ["invoice.paid", "invoice.paid", (invoice: Json) => fake.state.attemptInvoice(invoice.id), "paid"],
    ["invoice.voided", "invoice.voided", (invoice: Json) => Object.assign(invoice, { status: "void", amount_remaining: 0 }), "void"],
    ["invoice.marked_uncollectible", "invoice.uncollectible", (invoice: Json) => Object.assign(invoice, { status: "uncollectible", next_payment_attempt: null }), "uncollectible"],
    ["invoice.updated", "invoice.updated", (invoice: Json) => Object.assign(invoice, { due_date: 1_800_000_000 }), "open"],
  ] as const)("%s → %s with the invoice as Stripe has it", async (stripeType, type, change, status) => {
    const { invoice } = subscriber();
    change(invoice);
    const [event] = await normalize(eventAbout(fake.state, stripeType, invoice));
    expect(event).toMatchObject({ type, invoice: { externalId: invoice.id, status } });
    if (stripeType === "invoice.updated") expect(event!.invoice!.dueAt).toEqual(new Date(1_800_000_000_000));
  });

  it("payment_intent.payment_failed: a declined installment charge, linked to its invoice through the invoice payment", async () => {
    const stolen: CardBehaviour = { outcome: "decline", declineCode: "stolen_card", adviceCode: "do_not_try_again", networkDeclineCode: "43" };
    const { customer, card, invoice } = subscriber(stolen, 9000);
    const intent = fake.state.addIntent({ amount: 3000, currency: "eur", customer: customer.id });
    fake.state.addInvoicePayment(invoice, intent, false);
    const { charge } = fake.state.confirm(intent, card.id, { offSession: true });
    const [event] = await normalize(eventAbout(fake.state, "payment_intent.payment_failed", intent));
    expect(event!.type).toBe("payment.failed");
    expect(event!.invoice).toMatchObject({ externalId: invoice.id, amountRemaining: 9000 });
    expect(event!.attempt).toMatchObject({ externalId: charge!.id, amount: 3000, declineCode: "stolen_card", adviceCode: "do_not_try_again", networkDeclineCode: "43" });
  });

  it("charge.failed: the same attempt as invoice.payment_failed reports (same id, same codes), so the records merge", async () => {
    const { invoice } = subscriber(insufficientFunds);
    const { charge } = fake.state.attemptInvoice(invoice.id);
    const [fromCharge] = await normalize(eventAbout(fake.state, "charge.failed", charge));
    const [fromInvoice] = await normalize(eventAbout(fake.state, "invoice.payment_failed", invoice));
    expect(fromCharge!.type).toBe("payment.failed");
    expect(fromCharge!.invoice!.externalId).toBe(invoice.id);
    expect(fromCharge!.attempt).toEqual(fromInvoice!.attempt);
  });
});

describe("Stripe invoice events converge whatever the order", () => {
  it("a stale snapshot is overridden by the re-fetched invoice, whose version is newer", async () => {
    const { invoice } = subscriber();
    const event = eventAbout(fake.state, "invoice.updated", invoice, { snapshot: (copy) => Object.assign(copy, { amount_due: 1, amount_remaining: 1 }) });
    fake.state.attemptInvoice(invoice.id); // paid after the snapshot was taken
    const [normalized] = await normalize(event);
    expect(normalized!.invoice).toMatchObject({ status: "paid", amountDue: 4900, amountRemaining: 0 });
    expect(normalized!.invoice!.version).toBeGreaterThan(event.created * 1000);
  });

  it("falls back to the event's own snapshot, at the event's version, when Stripe answers 404", async () => {
    const { invoice } = subscriber(insufficientFunds);
    fake.state.attemptInvoice(invoice.id);
    const event = eventAbout(fake.state, "invoice.payment_failed", invoice);
    fake.state.invoices.delete(invoice.id);
    const [normalized] = await normalize(event);
    expect(normalized!.invoice).toMatchObject({ externalId: invoice.id, status: "open", attemptCount: 1, version: event.created * 1000 });
    expect(normalized!.attempt).toBeUndefined();
  });

  it("a payment_failed read after a later successful retry still records the failed charge, not the success", async () => {
    const { card, invoice } = subscriber(insufficientFunds);
    const { charge: declined } = fake.state.attemptInvoice(invoice.id);
    const failedEvent = eventAbout(fake.state, "invoice.payment_failed", invoice, { created: declined!.created });
    fake.state.behaviours.set(card.id, { outcome: "succeed" });
    fake.state.now = () => Math.floor(Date.now() / 1000) + 3600; // the retry happens an hour later
    try {
      fake.state.attemptInvoice(invoice.id);
    } finally {
      fake.state.now = () => Math.floor(Date.now() / 1000);
    }
    const [normalized] = await normalize(failedEvent);
    expect(normalized!.invoice!.status).toBe("paid");
    expect(normalized!.attempt).toMatchObject({ externalId: declined!.id, status: "failed", declineCode: "insufficient_funds" });
  });
});
