import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeProvider } from "@/lib/billing/stripe";
import type { BillingProvider, NormalizedEvent } from "@/lib/billing/types";
import { fixedClock } from "@/lib/clock";
import { startFakeStripe, stripeContextFor, type FakeStripe } from "../../../fakes/stripe-api";
import type { Json } from "../../../fakes/stripe-state";
import { eventAbout, signWebhook } from "../../../helpers/stripe-events";

let fake: FakeStripe;
let stripe: BillingProvider;
const clock = fixedClock(new Date(Date.now() + 60_000));

beforeAll(async () => {
  fake = await startFakeStripe();
  stripe = createStripeProvider(stripeContextFor(fake, { clock }));
});
afterAll(() => fake.close());

async function normalize(event: Json): Promise<NormalizedEvent[]> {
  const normalized = await stripe.normalizeWebhook(stripe.verifyWebhook(signWebhook(event)));
  if (!normalized) throw new Error(`${event.type} was not handled`);
  return normalized;
}

describe("Stripe subscription event handlers", () => {
  it("customer.subscription.updated: status, plan name from the expanded product, MRR of a two-seat yearly plan", async () => {
    const customer = fake.state.addCustomer();
    const subscription = fake.state.addSubscription(customer.id, { unitAmount: 120_000, quantity: 2, interval: "year", productName: "Scale (yearly)" });
    subscription.status = "past_due";
    const [event] = await normalize(eventAbout(fake.state, "customer.subscription.updated", subscription, { previousAttributes: { status: "active" } }));
    expect(event).toMatchObject({
      type: "subscription.updated",
      subscription: {
        externalId: subscription.id,
        customerExternalId: customer.id,
        status: "past_due",
        planName: "Scale (yearly)",
        mrrMinor: 20_000,
        currency: "eur",
        currentPeriodEnd: new Date(subscription.items.data[0].current_period_end * 1000),
        cancelAtPeriodEnd: false,
        version: clock.now().getTime(),
      },
    });
  });

  it("customer.subscription.deleted → subscription.canceled, read back as canceled", async () => {
    const customer = fake.state.addCustomer();
    const subscription = fake.state.addSubscription(customer.id, { nickname: "Starter" });
    Object.assign(subscription, { status: "canceled", canceled_at: fake.state.now(), ended_at: fake.state.now() });
    const [event] = await normalize(eventAbout(fake.state, "customer.subscription.deleted", subscription));
    expect(event).toMatchObject({ type: "subscription.canceled", subscription: { status: "canceled", planName: "Starter" } });
  });

  it("customer.subscription.paused → subscription.paused", async () => {
    const customer = fake.state.addCustomer();
    const subscription = fake.state.addSubscription(customer.id);
    subscription.status = "paused";
    const [event] = await normalize(eventAbout(fake.state, "customer.subscription.paused", subscription));
    expect(event).toMatchObject({ type: "subscription.paused", subscription: { externalId: subscription.id, status: "paused" } });
  });
});

describe("Stripe payment method and customer event handlers", () => {
  it("payment_method.attached: brand, last four, expiry, fingerprint and default flag, and nothing else of the card", async () => {
    const customer = fake.state.addCustomer();
    const card = fake.state.addCard(customer.id, { brand: "visa", last4: "0341", expMonth: 4, expYear: 2031, fingerprint: "fpVisa0341" });
    const [event] = await normalize(eventAbout(fake.state, "payment_method.attached", card));
    expect(event!.type).toBe("payment_method.attached");
    expect(event!.paymentMethod).toEqual({
      externalId: card.id,
      customerExternalId: customer.id,
      type: "card",
      brand: "visa",
      last4: "0341",
      expMonth: 4,
      expYear: 2031,
      fingerprint: "fpVisa0341",
      isDefault: true,
      status: "active",
      version: clock.now().getTime(),
    });
  });

  it("payment_method.updated: the new expiry, read fresh rather than from the snapshot", async () => {
    const customer = fake.state.addCustomer();
    const card = fake.state.addCard(customer.id, { expYear: 2026 });
    const event = eventAbout(fake.state, "payment_method.updated", card);
    card.card.exp_year = 2029; // the card account updater changed it again after this event
    const [normalized] = await normalize(event);
    expect(normalized).toMatchObject({ type: "payment_method.updated", paymentMethod: { externalId: card.id, expYear: 2029 } });
  });

  it("payment_method.detached: the customer it belonged to comes from previous_attributes; it is no longer the default", async () => {
    const customer = fake.state.addCustomer();
    const card = fake.state.addCard(customer.id);
    card.customer = null;
    const [event] = await normalize(eventAbout(fake.state, "payment_method.detached", card, { previousAttributes: { customer: customer.id } }));
    expect(event).toMatchObject({ type: "payment_method.detached", paymentMethod: { externalId: card.id, customerExternalId: customer.id, status: "detached", isDefault: false } });
  });

  it("customer.source.expiring: a legacy card source, brand in the PaymentMethod vocabulary", async () => {
    const customer = fake.state.addCustomer();
    const card = fake.state.addLegacyCard(customer.id, { brand: "American Express", last4: "0005", expMonth: 1, expYear: 2026 });
    const [event] = await normalize(eventAbout(fake.state, "customer.source.expiring", card));
    expect(event).toMatchObject({
      type: "payment_method.expiring",
      paymentMethod: { externalId: card.id, customerExternalId: customer.id, type: "card", brand: "amex", last4: "0005", expMonth: 1, expYear: 2026 },
    });
  });

  it("customer.source.expiring: also sent for card PaymentMethods", async () => {
    const customer = fake.state.addCustomer();
    const card = fake.state.addCard(customer.id, { brand: "mastercard", expYear: 2026 });
    const [event] = await normalize(eventAbout(fake.state, "customer.source.expiring", card));
    expect(event).toMatchObject({ type: "payment_method.expiring", paymentMethod: { externalId: card.id, brand: "mastercard", expYear: 2026 } });
  });

  it("customer.updated: contact details and locale; a changed default card is reported as the new default", async () => {
    const customer = fake.state.addCustomer({ email: "old@example.com" });
    const oldCard = fake.state.addCard(customer.id);
    const newCard = fake.state.addCard(customer.id, { last4: "1881" });
    Object.assign(customer, { email: "new@example.com", name: "Grace Hopper", preferred_locales: ["de-DE", "en"], delinquent: true });
    customer.metadata = { timezone: "Europe/Berlin", plan: "scale" };
    const events = await normalize(
      eventAbout(fake.state, "customer.updated", customer, { previousAttributes: { email: "old@example.com", invoice_settings: { default_payment_method: oldCard.id } } }),
    );
    expect(events.map((e) => e.type)).toEqual(["customer.updated", "payment_method.updated"]);
    expect(events[0]!.customer).toMatchObject({
      externalId: customer.id,
      email: "new@example.com",
      name: "Grace Hopper",
      locale: "de-DE",
      timezone: "Europe/Berlin",
      country: "FR",
      currency: "eur",
      delinquent: true,
      metadata: { timezone: "Europe/Berlin", plan: "scale" },
    });
    expect(events[1]!.paymentMethod).toMatchObject({ externalId: newCard.id, last4: "1881", isDefault: true });
  });

  it("customer.updated without a default change reports the customer only", async () => {
    const customer = fake.state.addCustomer();
    const events = await normalize(eventAbout(fake.state, "customer.updated", customer, { previousAttributes: { name: "Before" } }));
    expect(events.map((e) => e.type)).toEqual(["customer.updated"]);
  });
});
