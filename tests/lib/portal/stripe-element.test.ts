import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dunningCases, dunningSteps, invoices, paymentMethods } from "@/drizzle/schema";
import { addConnection, getConnection } from "@/lib/billing/connections";
import { processPendingInbox } from "@/lib/billing/dispatch";
import { receiveWebhook } from "@/lib/billing/webhooks";
import { systemClock } from "@/lib/clock";
import { getDb, type Db } from "@/lib/db/client";
import { loadPortalCase, type PortalCase } from "@/lib/portal/context";
import { tokenVersionOf } from "@/lib/portal/links";
import { startCardUpdate, startPayNow } from "@/lib/portal/payments";
import { resultAfterCardUpdate, resultAfterPayment } from "@/lib/portal/results";
import { PORTAL_SESSION_TTL_MS } from "@/lib/portal/sessions";
import { finishStripeCardUpdate, finishStripePayment, startStripeElement } from "@/lib/portal/stripe-element";
import { startFakeStripe, TEST_PUBLISHABLE_KEY, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET, type FakeStripe } from "../../fakes/stripe-api";
import type { CardBehaviour, Json } from "../../fakes/stripe-state";
import { makeWorkspace } from "../../helpers/factories";
import { eventAbout, signWebhook } from "../../helpers/stripe-events";

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(() => fake.close());

const insufficientFunds: CardBehaviour = { outcome: "decline", declineCode: "insufficient_funds", adviceCode: "try_again_later" };

async function deliver(db: Db, connectionId: string, event: Json) {
  const delivery = signWebhook(event);
  const request = new Request(`http://localhost/api/webhooks/stripe/${connectionId}`, { method: "POST", headers: delivery.headers, body: delivery.rawBody });
  expect((await receiveWebhook("stripe", connectionId, request, { defer: () => {} })).status).toBe(200);
  await processPendingInbox(db, systemClock);
}

/**
 * A Stripe workspace (publishable key set unless told otherwise) with one customer whose
 * renewal was declined: the invoice.payment_failed webhook opened a case. Returns the portal
 * session's view of it, as the link exchange would load it.
 */
async function failedRenewal(o: { publishableKey?: boolean; confirmationSecret?: boolean } = {}) {
  const db = await getDb();
  const ws = await makeWorkspace();
  const view = await addConnection(
    db,
    { provider: "stripe", workspaceId: ws.id, secretKey: TEST_SECRET_KEY, webhookSecrets: [TEST_WEBHOOK_SECRET], apiBase: fake.url, ...(o.publishableKey === false ? {} : { publishableKey: TEST_PUBLISHABLE_KEY }) },
    { kind: "system" },
  );
  const connection = await getConnection(db, view.id, ws.id);
  const customer = fake.state.addCustomer({ email: "ana@example.com" });
  const oldCard = fake.state.addCard(customer.id, { behaviour: insufficientFunds, last4: "9995" });
  const subscription = fake.state.addSubscription(customer.id, { status: "past_due" });
  const addOn = fake.state.addSubscription(customer.id, { status: "active", productName: "Add-on" });
  const ended = fake.state.addSubscription(customer.id, { status: "canceled", productName: "Old plan" });
  const invoice = fake.state.addInvoice(customer.id, { subscriptionId: subscription.id, amountDue: 4900, confirmationSecret: o.confirmationSecret });
  fake.state.attemptInvoice(invoice.id);
  await deliver(db, connection.id, eventAbout(fake.state, "invoice.payment_failed", fake.state.invoices.get(invoice.id)));

  const [row] = await db.select().from(invoices).where(and(eq(invoices.connectionId, connection.id), eq(invoices.externalId, invoice.id)));
  const [kase] = await db.select().from(dunningCases).where(eq(dunningCases.invoiceId, row!.id));
  expect(kase).toMatchObject({ status: "open" });
  const portal = async (): Promise<PortalCase> => {
    const session = { workspaceId: ws.id, customerId: kase!.customerId, caseId: kase!.id, version: await tokenVersionOf(db, kase!.id), expiresAt: new Date(Date.now() + PORTAL_SESSION_TTL_MS) };
    return (await loadPortalCase(db, session, systemClock))!;
  };
  const caseNow = async () => (await db.select().from(dunningCases).where(eq(dunningCases.id, kase!.id)))[0]!;
  const cardUpdateSteps = () => db.select().from(dunningSteps).where(and(eq(dunningSteps.caseId, kase!.id), like(dunningSteps.key, "card-update:%")));
  const paths = [`/v1/customers/${customer.id}`, ...[subscription, addOn, ended].map((s) => `/v1/subscriptions/${s.id}`)];
  /** What was changed at Stripe about this customer (POSTs to it or its subscriptions). */
  const writes = () => fake.requests.filter((r) => r.method === "POST" && paths.includes(r.path));
  return { db, connection, customer, oldCard, subscription, addOn, ended, invoice, invoiceId: row!.id, caseId: kase!.id, portal, caseNow, cardUpdateSteps, writes };
}

const readyElement = async (t: Awaited<ReturnType<typeof failedRenewal>>, target: "card" | "pay") => {
  const p = await t.portal();
  const element = await startStripeElement(t.db, p, target === "card" ? { for: "card" } : { for: "pay", invoice: p.invoice });
  if (element.kind !== "ready") throw new Error("expected the Payment Element");
  return element;
};

describe("update card on Stripe with the Payment Element", () => {
  it("makes the confirmed card the default of the customer and its live subscriptions, retries the invoice at once and recovers the case", async () => {
    const t = await failedRenewal();
    expect(await startCardUpdate(t.db, await t.portal())).toEqual({ kind: "redirect", url: "/portal/stripe?for=card" });
    const element = await readyElement(t, "card");
    expect(element).toMatchObject({ intent: "setup", publishableKey: TEST_PUBLISHABLE_KEY, returnUrl: "http://localhost:3999/portal/return" });

    const { intent, method } = fake.state.confirmInBrowser(element.clientSecret, { brand: "mastercard", last4: "4444" });
    // The browser's word alone changes nothing in Dunwell.
    expect((await t.caseNow()).status).toBe("open");

    const saved = await finishStripeCardUpdate(t.db, await t.portal(), intent.id);
    expect(saved).toMatchObject({ externalId: method.id, isDefault: true, last4: "4444" });
    expect(fake.state.customers.get(t.customer.id).invoice_settings.default_payment_method).toBe(method.id);
    expect(fake.state.subscriptions.get(t.subscription.id).default_payment_method).toBe(method.id);
    expect(fake.state.subscriptions.get(t.addOn.id).default_payment_method).toBe(method.id);
    expect(fake.state.subscriptions.get(t.ended.id).default_payment_method).toBeNull();
    const keys = t.writes().map((r) => r.idempotencyKey);
    expect(keys[0]).toBe(`portal:card-default:${intent.id}:customer`);
    expect(keys.slice(1).sort()).toEqual([t.addOn.id, t.subscription.id].map((id) => `portal:card-default:${intent.id}:${id}`).sort());

    expect(await t.caseNow()).toMatchObject({ status: "recovered", recoveredMinor: 4900 });
    const [retry] = await t.cardUpdateSteps();
    expect(retry).toMatchObject({ status: "done", paymentMethodExternalId: method.id, outcome: expect.objectContaining({ status: "succeeded" }) });
    expect(fake.state.invoices.get(t.invoice.id).status).toBe("paid");
    const [card] = await t.db.select().from(paymentMethods).where(and(eq(paymentMethods.connectionId, t.connection.id), eq(paymentMethods.externalId, method.id)));
    expect(card).toMatchObject({ isDefault: true, last4: "4444" });
    expect(await resultAfterCardUpdate(t.db, await t.portal())).toEqual({ kind: "paid", amountMinor: 4900, currency: "eur" });
  });

  it("a new card that declines: retried once at once, the result names the reason, and finishing again retries nothing twice", async () => {
    const t = await failedRenewal();
    const element = await readyElement(t, "card");
    const { intent } = fake.state.confirmInBrowser(element.clientSecret, { behaviour: insufficientFunds, last4: "0341" });
    await finishStripeCardUpdate(t.db, await t.portal(), intent.id);
    expect((await t.caseNow()).status).toBe("open");
    expect(await resultAfterCardUpdate(t.db, await t.portal())).toEqual({ kind: "declined", reason: "insufficient_funds" });
    const charges = fake.state.charges.size;

    await finishStripeCardUpdate(t.db, await t.portal(), intent.id);
    expect(await t.cardUpdateSteps()).toHaveLength(1);
    expect(fake.state.charges.size).toBe(charges);
    // The customer's default is replayed under the same key, not set again.
    expect(fake.requests.filter((r) => r.idempotencyKey === `portal:card-default:${intent.id}:customer`).map((r) => r.replayed)).toEqual([false, true]);
  });

  it("refuses another customer's SetupIntent, and one whose 3-D Secure was not completed, changing nothing", async () => {
    const t = await failedRenewal();
    const stranger = fake.state.addCustomer({ email: "mallory@example.com" });
    const theirs = fake.state.addCard(stranger.id);
    const strangerSetup = fake.state.addSetupIntent(stranger.id);
    const { intent: foreign, method: foreignCard } = fake.state.confirmInBrowser(strangerSetup.client_secret);

    await expect(finishStripeCardUpdate(t.db, await t.portal(), foreign.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(finishStripeCardUpdate(t.db, await t.portal(), "seti_doesnotexist")).rejects.toMatchObject({ code: "not_found" });

    const element = await readyElement(t, "card");
    const { intent: unconfirmed } = fake.state.confirmInBrowser(element.clientSecret, { behaviour: { outcome: "requires_action" } });
    expect(unconfirmed.status).toBe("requires_action");
    await expect(finishStripeCardUpdate(t.db, await t.portal(), unconfirmed.id)).rejects.toMatchObject({ code: "invalid_input" });

    expect(t.writes()).toEqual([]);
    expect(fake.requests.some((r) => r.method === "POST" && r.path === `/v1/customers/${stranger.id}`)).toBe(false);
    expect(fake.state.customers.get(t.customer.id).invoice_settings.default_payment_method).toBe(t.oldCard.id);
    expect(fake.state.customers.get(stranger.id).invoice_settings.default_payment_method).toBe(theirs.id);
    expect(foreignCard.customer).toBe(stranger.id);
    expect(await t.cardUpdateSteps()).toEqual([]);
    expect((await t.caseNow()).status).toBe("open");
  });

  it("without a publishable key: the card update is not available here, and pay now goes to Stripe's hosted invoice page", async () => {
    const t = await failedRenewal({ publishableKey: false });
    const p = await t.portal();
    expect(await startCardUpdate(t.db, p)).toEqual({ kind: "unavailable" });
    expect(await startPayNow(t.db, p)).toEqual({ kind: "redirect", url: `https://invoice.stripe.com/i/${t.invoice.id}` });
    expect(await startStripeElement(t.db, p, { for: "card" })).toEqual({ kind: "unavailable" });
    expect(fake.requests.some((r) => r.path === "/v1/setup_intents" && r.method === "POST" && r.body.customer === t.customer.id)).toBe(false);
  });
});

describe("pay now on Stripe with the Payment Element", () => {
  it("confirms the invoice's own payment in the browser; the finish re-reads the invoice, the case closes at once, and the webhook agrees", async () => {
    const t = await failedRenewal();
    expect(await startPayNow(t.db, await t.portal())).toEqual({ kind: "redirect", url: `/portal/stripe?for=pay&invoice=${t.invoiceId}` });
    const element = await readyElement(t, "pay");
    expect(element).toMatchObject({ intent: "payment", clientSecret: fake.state.defaultIntentOf(t.invoice.id).client_secret });

    fake.state.confirmInBrowser(element.clientSecret, { last4: "4242" });
    expect((await t.caseNow()).status).toBe("open");
    expect(await finishStripePayment(t.db, await t.portal(), t.invoiceId)).toEqual({ paid: true });
    expect(await t.caseNow()).toMatchObject({ status: "recovered", closeReason: "the invoice was paid" });
    expect(await resultAfterPayment(t.db, await t.portal())).toEqual({ kind: "paid", amountMinor: 4900, currency: "eur" });

    await deliver(t.db, t.connection.id, eventAbout(fake.state, "invoice.paid", fake.state.invoices.get(t.invoice.id)));
    const [row] = await t.db.select().from(invoices).where(eq(invoices.id, t.invoiceId));
    expect(row).toMatchObject({ status: "paid", amountRemaining: 0 });
    expect((await t.caseNow()).status).toBe("recovered");
  });

  it("a payment waiting for 3-D Secure leaves everything as it was; once the customer completes the challenge it is paid", async () => {
    const t = await failedRenewal();
    const element = await readyElement(t, "pay");
    const before = { result: await resultAfterPayment(t.db, await t.portal()), case: await t.caseNow() };
    const { intent } = fake.state.confirmInBrowser(element.clientSecret, { behaviour: { outcome: "requires_action" } });
    expect(intent.status).toBe("requires_action");

    expect(await finishStripePayment(t.db, await t.portal(), t.invoiceId)).toEqual({ paid: false });
    expect(await t.caseNow()).toEqual(before.case);
    const [row] = await t.db.select().from(invoices).where(eq(invoices.id, t.invoiceId));
    expect(row).toMatchObject({ status: "open", amountRemaining: 4900 });
    expect(await resultAfterPayment(t.db, await t.portal())).toEqual(before.result);

    fake.state.confirmInBrowser(element.clientSecret, { behaviour: { outcome: "requires_action" }, authenticate: true });
    expect(await finishStripePayment(t.db, await t.portal(), t.invoiceId)).toEqual({ paid: true });
    expect((await t.caseNow()).status).toBe("recovered");
  });

  it("an invoice without a confirmation secret gets one PaymentIntent however often the page loads", async () => {
    const t = await failedRenewal({ confirmationSecret: false });
    const first = await readyElement(t, "pay");
    const again = await readyElement(t, "pay");
    expect(again.clientSecret).toBe(first.clientSecret);
    expect(fake.state.paymentsOf(t.invoice.id).filter((p) => !p.is_default)).toHaveLength(1);
    fake.state.confirmInBrowser(first.clientSecret);
    expect(await finishStripePayment(t.db, await t.portal(), t.invoiceId)).toEqual({ paid: true });
  });

  it("will not read or settle an invoice that is not the session customer's", async () => {
    const t = await failedRenewal();
    const other = await failedRenewal();
    const asked = fake.requests.length;
    await expect(finishStripePayment(t.db, await t.portal(), other.invoiceId)).rejects.toMatchObject({ code: "not_found" });
    expect(fake.requests.slice(asked)).toEqual([]);
    expect((await other.caseNow()).status).toBe("open");
  });
});
