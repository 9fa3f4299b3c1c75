import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeProvider } from "@/lib/billing/stripe";
import { getStripeClient } from "@/lib/billing/stripe/client";
import type { BillingProvider, Page } from "@/lib/billing/types";
import { fixedClock } from "@/lib/clock";
import { startFakeStripe, stripeContextFor, type FakeStripe } from "../../../fakes/stripe-api";

let fake: FakeStripe;
let stripe: BillingProvider;
const DAY = 86_400;

beforeAll(async () => {
  fake = await startFakeStripe();
  stripe = createStripeProvider(stripeContextFor(fake));
});
afterAll(() => fake.close());

async function all<T>(read: (cursor: string | null) => Promise<Page<T>>): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.next;
    pages += 1;
  } while (cursor);
  return { items, pages };
}

describe("Stripe reconciliation", () => {
  it("listMissedEvents pages through undelivered events, 100 at a time, no older than Stripe's 30 days", async () => {
    const now = fake.state.now();
    const expected: string[] = [];
    for (let i = 0; i < 150; i += 1) expected.push(fake.state.addEvent("invoice.payment_failed", { id: `in_${i}`, object: "invoice" }, { delivered: false, created: now - i }).id);
    for (let i = 0; i < 20; i += 1) fake.state.addEvent("invoice.paid", { id: `in_d${i}`, object: "invoice" }, { delivered: true, created: now - i });
    fake.state.addEvent("invoice.payment_failed", { id: "in_old", object: "invoice" }, { delivered: false, created: now - 31 * DAY });

    const first = await stripe.listMissedEvents({ since: new Date((now - 90 * DAY) * 1000), cursor: null });
    expect(first.items).toHaveLength(100);
    expect(first.next).toBe(first.items[99]!.providerEventId);
    const second = await stripe.listMissedEvents({ since: new Date((now - 90 * DAY) * 1000), cursor: first.next });
    expect(second.items).toHaveLength(50);
    expect(second.next).toBeNull();
    expect([...first.items, ...second.items].map((e) => e.providerEventId)).toEqual(expected);
    expect(second.items[0]).toMatchObject({ type: "invoice.payment_failed", occurredAt: new Date((now - 100) * 1000), payload: { object: "event", data: { object: { id: "in_100" } } } });

    const asked = fake.requests.filter((r) => r.path === "/v1/events");
    expect(asked[0]!.query).toMatchObject({ delivery_success: "false", limit: "100" });
    // Asked for 90 days, clamped to the 30 Stripe keeps (a minute's slack for the test's own clock).
    expect(Math.abs(Number(asked[0]!.query.created.gte) - (now - 30 * DAY))).toBeLessThan(60);
    expect(asked[1]!.query.starting_after).toBe(first.next);
  });

  it("listCustomers, listSubscriptions (canceled included) and listOpenInvoices page with starting_after cursors", async () => {
    const customers = Array.from({ length: 103 }, (_, i) => fake.state.addCustomer({ email: `c${i}@example.com` }));
    const canceled = fake.state.addSubscription(customers[0]!.id, { status: "canceled" });
    const active = fake.state.addSubscription(customers[1]!.id);
    const open = fake.state.addInvoice(customers[0]!.id);
    const paid = fake.state.addInvoice(customers[1]!.id);
    fake.state.attemptInvoice(paid.id, fake.state.addCard(customers[1]!.id).id);

    const listedCustomers = await all((cursor) => stripe.listCustomers(cursor));
    expect(listedCustomers.pages).toBe(2);
    expect(listedCustomers.items.map((c) => c.email).sort()).toEqual(customers.map((c) => c.email).sort());
    const subscriptions = await all((cursor) => stripe.listSubscriptions(cursor));
    expect(subscriptions.items.map((s) => [s.externalId, s.status])).toEqual([
      [active.id, "active"],
      [canceled.id, "canceled"],
    ]);
    expect(fake.requests.find((r) => r.path === "/v1/subscriptions")!.query.status).toBe("all");
    const invoices = await all((cursor) => stripe.listOpenInvoices(cursor));
    expect(invoices.items.map((i) => i.externalId)).toEqual([open.id]);
  });
});

describe("Stripe reads", () => {
  it("testConnection names the account that answered and whether the key is live", async () => {
    await expect(stripe.testConnection()).resolves.toEqual({ account: "acct_1DunwellFake", livemode: false });
  });

  it("getCustomer, getSubscription and getInvoice are fresh reads stamped with the fetch time", async () => {
    const clock = fixedClock("2026-03-01T12:00:00Z");
    const reader = createStripeProvider(stripeContextFor(fake, { clock }));
    const customer = fake.state.addCustomer({ email: "lin@example.com", locale: "fr-FR" });
    const subscription = fake.state.addSubscription(customer.id, { unitAmount: 1000, interval: "week" });
    const invoice = fake.state.addInvoice(customer.id, { subscriptionId: subscription.id, dueDate: 1_772_323_200 });
    await expect(reader.getCustomer(customer.id)).resolves.toMatchObject({ email: "lin@example.com", locale: "fr-FR", version: clock.now().getTime() });
    await expect(reader.getSubscription(subscription.id)).resolves.toMatchObject({ mrrMinor: 4333, planName: "Team plan" });
    await expect(reader.getInvoice(invoice.id)).resolves.toMatchObject({ subscriptionExternalId: subscription.id, dueAt: new Date(1_772_323_200_000) });
  });

  it("a deleted or unknown customer is not_found", async () => {
    const customer = fake.state.addCustomer();
    fake.state.customers.set(customer.id, { id: customer.id, object: "customer", deleted: true });
    await expect(stripe.getCustomer(customer.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(stripe.getInvoice("in_nope")).rejects.toMatchObject({ code: "not_found", httpStatus: 404 });
  });

  it("listPaymentMethods: the customer's cards, the default flagged from invoice_settings", async () => {
    const customer = fake.state.addCustomer();
    const first = fake.state.addCard(customer.id, { last4: "1111" });
    const second = fake.state.addCard(customer.id, { last4: "2222", isDefault: false });
    const methods = await stripe.listPaymentMethods(customer.id);
    expect(methods.map((m) => [m.externalId, m.last4, m.isDefault]).sort()).toEqual(
      [
        [first.id, "1111", true],
        [second.id, "2222", false],
      ].sort(),
    );
    expect(fake.requests.find((r) => r.path === "/v1/payment_methods")!.query).toMatchObject({ customer: customer.id, type: "card" });
  });

  it("builds the SDK client once per connection, and anew when the key or API base changes", async () => {
    const ctx = stripeContextFor(fake, { connectionId: "conn_cache" });
    const client = getStripeClient(ctx);
    const provider = createStripeProvider(ctx);
    await provider.testConnection();
    await createStripeProvider(ctx).testConnection();
    expect(getStripeClient(ctx)).toBe(client);
    const rotated = stripeContextFor(fake, { connectionId: "conn_cache", credentials: { secretKey: "sk_test_rotated_key_1234" } });
    expect(getStripeClient(rotated)).not.toBe(client);
    expect(getStripeClient({ ...rotated, apiBase: "http://127.0.0.1:1" })).not.toBe(getStripeClient(rotated));
  });
});
