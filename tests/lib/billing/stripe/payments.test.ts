import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ProviderError } from "@/lib/billing/errors";
import { createStripeProvider } from "@/lib/billing/stripe";
import type { BillingProvider } from "@/lib/billing/types";
import { startFakeStripe, stripeContextFor, TEST_PUBLISHABLE_KEY, type FakeStripe } from "../../../fakes/stripe-api";
import type { CardBehaviour } from "../../../fakes/stripe-state";

let fake: FakeStripe;
let stripe: BillingProvider;

beforeAll(async () => {
  fake = await startFakeStripe();
  stripe = createStripeProvider(stripeContextFor(fake));
});
afterAll(() => fake.close());
afterEach(() => {
  // Every request speaks the pinned API version, and every write carries Dunwell's own key.
  for (const request of fake.requests) {
    expect(request.stripeVersion).toBe(Stripe.API_VERSION);
    if (request.method !== "GET") expect(request.idempotencyKey).toMatch(/^step:/);
  }
  fake.requests.length = 0;
});

const insufficientFunds: CardBehaviour = { outcome: "decline", declineCode: "insufficient_funds", adviceCode: "try_again_later", networkAdviceCode: "02", networkDeclineCode: "51" };

function openInvoice(behaviour: CardBehaviour = { outcome: "succeed" }, amountDue = 4900) {
  const customer = fake.state.addCustomer();
  const card = fake.state.addCard(customer.id, { behaviour });
  const invoice = fake.state.addInvoice(customer.id, { amountDue });
  return { customer, card, invoice };
}

const chargesOf = (invoiceId: string) =>
  [...fake.state.charges.values()].filter((c) => fake.state.paymentsOf(invoiceId).some((p) => p.payment.payment_intent === c.payment_intent));

async function providerError(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("Stripe retryInvoicePayment", () => {
  it("pays the invoice off-session with the step's idempotency key; the outcome carries the paid invoice and the charge", async () => {
    const { invoice } = openInvoice();
    const outcome = await stripe.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: "step:retry-1" });
    const [charge] = chargesOf(invoice.id);
    expect(outcome.status).toBe("succeeded");
    expect(outcome.invoice).toMatchObject({ externalId: invoice.id, status: "paid", amountRemaining: 0 });
    expect(outcome.attempt).toMatchObject({ externalId: charge!.id, status: "succeeded", initiatedBy: "dunwell", idempotencyKey: "step:retry-1" });
    const pay = fake.requests.find((r) => r.path === `/v1/invoices/${invoice.id}/pay`)!;
    expect(pay).toMatchObject({ method: "POST", idempotencyKey: "step:retry-1", body: { off_session: "true" } });
  });

  it("sent twice with the same key, charges once: the second answer is Stripe's replay of the first", async () => {
    for (const behaviour of [{ outcome: "succeed" }, insufficientFunds] as CardBehaviour[]) {
      const { invoice } = openInvoice(behaviour);
      const first = await stripe.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: `step:twice-${behaviour.outcome}` });
      const second = await stripe.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: `step:twice-${behaviour.outcome}` });
      expect(chargesOf(invoice.id)).toHaveLength(1);
      expect(fake.state.invoices.get(invoice.id).attempt_count).toBe(1);
      expect(fake.requests.filter((r) => r.path.endsWith("/pay")).map((r) => r.replayed)).toEqual([false, true]);
      expect(second.attempt).toEqual(first.attempt);
      fake.requests.length = 0;
    }
  });

  it("a decline is a failed outcome with the issuer's decline code and the advice codes, not an error", async () => {
    const { invoice, card } = openInvoice(insufficientFunds);
    const outcome = await stripe.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: "step:decline" });
    expect(outcome.status).toBe("failed");
    expect(outcome.invoice).toMatchObject({ status: "open", amountRemaining: 4900, attemptCount: 1 });
    expect(outcome.attempt).toMatchObject({
      externalId: chargesOf(invoice.id)[0]!.id,
      paymentMethodExternalId: card.id,
      status: "failed",
      declineCode: "insufficient_funds",
      failureCode: "card_declined",
      failureMessage: "Your card was declined.",
      adviceCode: "try_again_later",
      networkAdviceCode: "02",
      networkDeclineCode: "51",
    });
    expect(outcome.action).toBeUndefined();
  });

  it("retries with another saved card when asked", async () => {
    const { customer, invoice } = openInvoice(insufficientFunds);
    const backup = fake.state.addCard(customer.id, { isDefault: false, last4: "5556" });
    const outcome = await stripe.retryInvoicePayment({ invoiceExternalId: invoice.id, paymentMethodExternalId: backup.id, idempotencyKey: "step:backup" });
    expect(outcome).toMatchObject({ status: "succeeded", attempt: { paymentMethodExternalId: backup.id } });
    expect(fake.requests.find((r) => r.path.endsWith("/pay"))!.body.payment_method).toBe(backup.id);
  });

  it("3-D Secure: requires_action, with the invoice's PaymentIntent for the Payment Element", async () => {
    const { invoice } = openInvoice({ outcome: "requires_action" });
    const outcome = await stripe.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: "step:3ds" });
    const intent = fake.state.defaultIntentOf(invoice.id);
    expect(outcome.status).toBe("requires_action");
    expect(outcome.attempt).toMatchObject({ externalId: intent.id, status: "requires_action" });
    expect(outcome.action).toEqual({ kind: "stripe_payment_element", intent: "payment", clientSecret: intent.client_secret, publishableKey: TEST_PUBLISHABLE_KEY });
  });

  it("429 with Retry-After: a retryable ProviderError after one request (the SDK does not retry); the same key then succeeds once", async () => {
    const { invoice } = openInvoice();
    fake.failNext(429, { retryAfterSeconds: 7 });
    const error = await providerError(stripe.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: "step:busy" }));
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7000, httpStatus: 429, code: "unavailable", provider: "stripe" });
    expect(fake.requests).toHaveLength(1);
    await expect(stripe.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: "step:busy" })).resolves.toMatchObject({ status: "succeeded" });
    expect(chargesOf(invoice.id)).toHaveLength(1);
  });

  it("500: retryable, no Retry-After", async () => {
    const { invoice } = openInvoice();
    fake.failNext(500);
    const error = await providerError(stripe.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: "step:down" }));
    expect(error).toMatchObject({ retryable: true, retryAfterMs: null, httpStatus: 500 });
    expect(fake.requests).toHaveLength(1);
  });

  it("404: not_found and not retryable", async () => {
    const error = await providerError(stripe.retryInvoicePayment({ invoiceExternalId: "in_missing", idempotencyKey: "step:missing" }));
    expect(error).toMatchObject({ retryable: false, httpStatus: 404, code: "not_found", providerCode: "resource_missing" });
  });
});

describe("Stripe chargeAmount (installments through partial payments)", () => {
  it("charges the amount off-session and attaches the PaymentIntent, so the invoice's remaining amount goes down; replays charge once", async () => {
    const { customer, card, invoice } = openInvoice({ outcome: "succeed" }, 9000);
    const input = { customerExternalId: customer.id, invoiceExternalId: invoice.id, amount: 3000, currency: "eur", description: "Installment 1 of 3", idempotencyKey: "step:inst-1" };
    const outcome = await stripe.chargeAmount(input);
    expect(outcome).toMatchObject({ status: "succeeded", invoice: { status: "open", amountPaid: 3000, amountRemaining: 6000 } });
    expect(outcome.attempt).toMatchObject({ amount: 3000, status: "succeeded", paymentMethodExternalId: card.id, invoiceExternalId: invoice.id, idempotencyKey: "step:inst-1" });
    const create = fake.requests.find((r) => r.method === "POST" && r.path === "/v1/payment_intents")!;
    expect(create).toMatchObject({ idempotencyKey: "step:inst-1", body: { amount: "3000", off_session: "true", confirm: "true", payment_method: card.id } });
    expect(fake.requests.find((r) => r.path.endsWith("/attach_payment"))!.idempotencyKey).toBe("step:inst-1:attach");
    await stripe.chargeAmount(input);
    expect(fake.state.invoices.get(invoice.id).amount_remaining).toBe(6000);
    expect([...fake.state.charges.values()].filter((c) => c.customer === customer.id)).toHaveLength(1);
  });

  it("a declined installment is a failed outcome with its codes, and the declined intent is not attached", async () => {
    const { customer, invoice } = openInvoice(insufficientFunds, 9000);
    const outcome = await stripe.chargeAmount({ customerExternalId: customer.id, invoiceExternalId: invoice.id, amount: 3000, currency: "eur", description: "Installment 1", idempotencyKey: "step:inst-decline" });
    expect(outcome).toMatchObject({ status: "failed", attempt: { declineCode: "insufficient_funds", networkDeclineCode: "51", amount: 3000 }, invoice: { amountRemaining: 9000 } });
    expect(fake.state.paymentsOf(invoice.id)).toHaveLength(1);
  });

  it("authentication required off-session: requires_action with the installment's own client secret, attached for when the customer pays", async () => {
    const { customer, invoice } = openInvoice({ outcome: "requires_action" }, 9000);
    const outcome = await stripe.chargeAmount({ customerExternalId: customer.id, invoiceExternalId: invoice.id, amount: 3000, currency: "eur", description: "Installment 1", idempotencyKey: "step:inst-3ds" });
    const attached = fake.state.paymentsOf(invoice.id).find((p) => !p.is_default)!;
    const intent = fake.state.paymentIntents.get(attached.payment.payment_intent);
    expect(outcome.status).toBe("requires_action");
    expect(outcome.action).toMatchObject({ kind: "stripe_payment_element", intent: "payment", clientSecret: intent.client_secret });
  });
});

describe("Stripe portal actions and operator actions", () => {
  it("startPayNow hands the invoice's own confirmation secret to the Payment Element, creating nothing", async () => {
    const { invoice } = openInvoice();
    const action = await stripe.startPayNow({ invoiceExternalId: invoice.id, returnUrl: "https://app.test/portal", idempotencyKey: "step:paynow" });
    expect(action).toEqual({ kind: "stripe_payment_element", intent: "payment", clientSecret: fake.state.defaultIntentOf(invoice.id).client_secret, publishableKey: TEST_PUBLISHABLE_KEY });
    expect(fake.requests.filter((r) => r.method !== "GET")).toHaveLength(0);
  });

  it("startPayNow on an invoice without a confirmation secret attaches an intent for the amount remaining; a paid invoice is a conflict", async () => {
    const customer = fake.state.addCustomer();
    const invoice = fake.state.addInvoice(customer.id, { amountDue: 7300, confirmationSecret: false });
    const action = await stripe.startPayNow({ invoiceExternalId: invoice.id, returnUrl: "https://app.test/portal", idempotencyKey: "step:paynow-old" });
    const attached = fake.state.paymentsOf(invoice.id).find((p) => !p.is_default)!;
    const intent = fake.state.paymentIntents.get(attached.payment.payment_intent);
    expect(intent.amount).toBe(7300);
    expect(action).toMatchObject({ clientSecret: intent.client_secret, intent: "payment" });
    fake.state.attemptInvoice(invoice.id, fake.state.addCard(customer.id).id);
    await expect(stripe.startPayNow({ invoiceExternalId: invoice.id, returnUrl: "x", idempotencyKey: "step:paid" })).rejects.toMatchObject({ code: "conflict" });
  });

  it("startPaymentMethodUpdate: an off-session SetupIntent for the customer", async () => {
    const customer = fake.state.addCustomer();
    const action = await stripe.startPaymentMethodUpdate({ customerExternalId: customer.id, returnUrl: "https://app.test/portal", idempotencyKey: "step:setup" });
    expect(action).toMatchObject({ kind: "stripe_payment_element", intent: "setup", clientSecret: expect.stringMatching(/^seti_.+_secret_/), publishableKey: TEST_PUBLISHABLE_KEY });
    expect(fake.requests.at(-1)).toMatchObject({ path: "/v1/setup_intents", idempotencyKey: "step:setup", body: { customer: customer.id, usage: "off_session" } });
  });

  it("recordOutOfBandPayment marks the whole invoice paid outside Stripe; a part amount is refused", async () => {
    const { invoice } = openInvoice();
    await expect(stripe.recordOutOfBandPayment({ invoiceExternalId: invoice.id, amount: 100, note: "cheque", idempotencyKey: "step:oob-part" })).rejects.toMatchObject({ code: "invalid_input" });
    const paid = await stripe.recordOutOfBandPayment({ invoiceExternalId: invoice.id, amount: 4900, note: "bank transfer", idempotencyKey: "step:oob" });
    expect(paid).toMatchObject({ status: "paid", amountRemaining: 0 });
    expect(fake.requests.find((r) => r.path.endsWith("/pay"))!.body).toEqual({ paid_out_of_band: "true" });
    expect(chargesOf(invoice.id)).toHaveLength(0);
  });

  it("cancelSubscription at period end or now; pauseSubscription voids invoices while paused; markInvoiceUncollectible", async () => {
    const customer = fake.state.addCustomer();
    const later = fake.state.addSubscription(customer.id);
    const now = fake.state.addSubscription(customer.id);
    const paused = fake.state.addSubscription(customer.id);
    const invoice = fake.state.addInvoice(customer.id);
    await expect(stripe.cancelSubscription({ subscriptionExternalId: later.id, atPeriodEnd: true, idempotencyKey: "step:c1" })).resolves.toMatchObject({ status: "active", cancelAtPeriodEnd: true });
    await expect(stripe.cancelSubscription({ subscriptionExternalId: now.id, atPeriodEnd: false, idempotencyKey: "step:c2" })).resolves.toMatchObject({ status: "canceled" });
    await expect(stripe.pauseSubscription({ subscriptionExternalId: paused.id, idempotencyKey: "step:p" })).resolves.toMatchObject({ status: "paused" });
    await expect(stripe.markInvoiceUncollectible({ invoiceExternalId: invoice.id, idempotencyKey: "step:u" })).resolves.toMatchObject({ status: "uncollectible" });
    expect(fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path.replace(/\/(sub|in)_[0-9a-z]+/g, "/$1_x")}`)).toEqual([
      "POST /v1/subscriptions/sub_x",
      "DELETE /v1/subscriptions/sub_x",
      "POST /v1/subscriptions/sub_x",
      "POST /v1/invoices/in_x/mark_uncollectible",
    ]);
    expect(fake.requests.find((r) => r.path === `/v1/subscriptions/${paused.id}`)!.body.pause_collection).toEqual({ behavior: "void" });
  });
});
