import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createChargebeeProvider } from "@/lib/billing/chargebee";
import { chargebeeClient } from "@/lib/billing/chargebee/client";
import { ProviderError } from "@/lib/billing/errors";
import type { BillingProvider, ProviderContext } from "@/lib/billing/types";
import { fixedClock } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { startFakeChargebee, type FakeChargebee } from "@/tests/fakes/chargebee-api";
import { cbFixtures, chargebeeEvent } from "@/tests/helpers/chargebee-events";

const INVOICE = "INV-2025-0311";
const CUSTOMER = "AzZlGJUVm3Pq41Kc7";
const SUBSCRIPTION = "AzZlGJUVm3Pt81KcB";
const SOURCE = "pm_AzZlGJUVm3Pr61Kc9";

let fake: FakeChargebee;
let ctx: ProviderContext;
let provider: BillingProvider;

async function fresh() {
  await fake?.close();
  fake = await startFakeChargebee();
  ctx = {
    connectionId: `con_ops_${fake.port}`,
    workspaceId: "ws_test",
    apiBase: fake.url,
    settings: {},
    credentials: { provider: "chargebee", site: fake.site, apiKey: fake.apiKey, webhookUsername: "hooks", webhookPassword: "hook-pass" },
    db: await getDb(),
    clock: fixedClock("2025-03-05T09:00:00Z"),
  };
  provider = createChargebeeProvider(ctx);
}
async function providerError(run: () => Promise<unknown>): Promise<ProviderError> {
  const error = await run().then(() => null, (e: unknown) => e);
  if (!(error instanceof ProviderError)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}
const posts = () => fake.requests.filter((r) => r.method === "POST");

beforeAll(fresh);
beforeEach(fresh);
afterAll(() => fake.close());

describe("Chargebee client", () => {
  it("is built once per connection and rebuilt when the key changes", () => {
    expect(chargebeeClient(ctx)).toBe(chargebeeClient({ ...ctx }));
    const rotated = { ...ctx, credentials: { ...ctx.credentials, apiKey: "test_cbkey_rotated" } };
    expect(chargebeeClient(rotated)).not.toBe(chargebeeClient(ctx));
  });

  it("talks to apiBase through the SDK with the site's API key", async () => {
    expect(await provider.testConnection()).toEqual({ account: "dunwell-demo-test", livemode: false });
    expect(fake.requests[0]).toMatchObject({ method: "GET", path: "/customers", query: { limit: "1" } });
  });
});

describe("Chargebee errors", () => {
  it("429 is retryable, with retryAfterMs from Retry-After", async () => {
    fake.failNext(429, { retryAfterSeconds: 7 });
    const error = await providerError(() => provider.getInvoice(INVOICE));
    expect(error).toMatchObject({ retryable: true, httpStatus: 429, retryAfterMs: 7000, providerCode: "api_request_limit_exceeded", code: "unavailable" });
    // The SDK did not retry on its own: one request, one failure.
    expect(fake.requests).toHaveLength(1);
  });

  it("500 is retryable", async () => {
    fake.failNext(500);
    const error = await providerError(() => provider.getCustomer(CUSTOMER));
    expect(error).toMatchObject({ retryable: true, httpStatus: 500, retryAfterMs: null, providerCode: "internal_error" });
    expect(fake.requests).toHaveLength(1);
  });

  it("404 is not_found and not retryable", async () => {
    const error = await providerError(() => provider.getSubscription("no-such-subscription"));
    expect(error).toMatchObject({ retryable: false, httpStatus: 404, providerCode: "resource_not_found", code: "not_found" });
    fake.failNext(404);
    expect(await providerError(() => provider.getInvoice(INVOICE))).toMatchObject({ code: "not_found" });
  });

  it("other 4xx are not retryable and keep Chargebee's api_error_code", async () => {
    const error = await providerError(() => provider.chargeAmount({ customerExternalId: CUSTOMER, invoiceExternalId: INVOICE, amount: 999_999, currency: "eur", description: "Too much", idempotencyKey: "step_too_much" }));
    expect(error).toMatchObject({ retryable: false, httpStatus: 400, providerCode: "param_wrong_value", code: "invalid_input" });
  });

  it("a network failure is retryable", async () => {
    const port = fake.port;
    await fake.close();
    const offline = createChargebeeProvider({ ...ctx, connectionId: "con_offline", apiBase: `http://127.0.0.1:${port}` });
    expect(await providerError(() => offline.getInvoice(INVOICE))).toMatchObject({ retryable: true, httpStatus: null });
    fake = await startFakeChargebee();
  });
});

describe("Chargebee collections", () => {
  it("retrying with the same idempotency key twice collects once", async () => {
    const first = await provider.retryInvoicePayment({ invoiceExternalId: INVOICE, idempotencyKey: "case_1:step_3:retry" });
    const second = await provider.retryInvoicePayment({ invoiceExternalId: INVOICE, idempotencyKey: "case_1:step_3:retry" });
    expect(fake.state.collections).toHaveLength(1);
    expect(posts().map((r) => r.idempotencyKey)).toEqual(["case_1:step_3:retry", "case_1:step_3:retry"]);
    expect(posts()[0]!.body).toMatchObject({ payment_initiator: "merchant" });
    expect(first).toMatchObject({ status: "succeeded", invoice: { status: "paid", amountRemaining: 0 } });
    expect(first.attempt).toMatchObject({ status: "succeeded", amount: 5880, currency: "eur", initiatedBy: "dunwell", idempotencyKey: "case_1:step_3:retry" });
    expect(second.attempt!.externalId).toBe(first.attempt!.externalId);
  });

  it("passes the chosen payment source", async () => {
    await provider.retryInvoicePayment({ invoiceExternalId: INVOICE, paymentMethodExternalId: SOURCE, idempotencyKey: "k-source" });
    expect(posts()[0]!.body.payment_source_id).toBe(SOURCE);
  });

  it("a declined collection is a failed PaymentOutcome with the gateway's codes, not an exception", async () => {
    fake.state.declineNext = {
      error_code: "card_declined",
      error_text: "Your card was declined.",
      error_detail: { error_code: "card_declined", decline_code: "do_not_honor", network_error_code: "05", recommendation_code: "do_not_try_again", processor_advice_code: "03" },
    };
    const outcome = await provider.retryInvoicePayment({ invoiceExternalId: INVOICE, idempotencyKey: "case_2:step_1:retry" });
    expect(outcome.status).toBe("failed");
    expect(outcome.attempt).toMatchObject({
      status: "failed",
      failureCode: "card_declined",
      failureMessage: "Your card was declined.",
      declineCode: "do_not_honor",
      networkDeclineCode: "05",
      adviceCode: "do_not_try_again",
      networkAdviceCode: "03",
      invoiceExternalId: INVOICE,
      initiatedBy: "dunwell",
      idempotencyKey: "case_2:step_1:retry",
    });
    expect(outcome.attempt!.externalId).toBe(fake.state.collections[0]!.id);
    expect(outcome.invoice).toMatchObject({ status: "open", amountRemaining: 5880, attemptCount: 2 });
  });

  it("a decline stays an outcome when reading the failed transaction back fails (no second charge from a queue retry)", async () => {
    fake.state.declineNext = { error_code: "card_declined", error_text: "Your card was declined." };
    fake.failNext(500, { path: "/payments" });
    const outcome = await provider.retryInvoicePayment({ invoiceExternalId: INVOICE, idempotencyKey: "k-decline-read-fails" });
    expect(outcome).toMatchObject({ status: "failed", attempt: null, invoice: { externalId: INVOICE } });
    expect(fake.state.collections).toHaveLength(1);
  });

  it("no payment method on file: failed, with no attempt invented", async () => {
    fake.state.customers.get(CUSTOMER)!.primary_payment_source_id = undefined;
    const outcome = await provider.retryInvoicePayment({ invoiceExternalId: INVOICE, idempotencyKey: "k-no-card" });
    expect(outcome).toMatchObject({ status: "failed", attempt: null, invoice: { externalId: INVOICE, status: "open" } });
    expect(fake.state.collections).toHaveLength(0);
  });

  it("an installment collects part of the invoice and leaves the rest due", async () => {
    const outcome = await provider.chargeAmount({ customerExternalId: CUSTOMER, invoiceExternalId: INVOICE, amount: 1960, currency: "eur", description: "Installment 1 of 3", idempotencyKey: "plan_9:1" });
    expect(posts()[0]!.body).toMatchObject({ amount: "1960", comment: "Installment 1 of 3" });
    expect(outcome).toMatchObject({ status: "succeeded", attempt: { amount: 1960 }, invoice: { status: "open", amountPaid: 1960, amountRemaining: 3920, amountDue: 5880 } });
  });

  it("an amount without an invoice is collected from the customer", async () => {
    const outcome = await provider.chargeAmount({ customerExternalId: CUSTOMER, amount: 1000, currency: "eur", description: "Partial", idempotencyKey: "k-customer" });
    expect(posts()[0]!.path).toBe(`/customers/${CUSTOMER}/collect_payment`);
    expect(outcome).toMatchObject({ status: "succeeded", invoice: null, attempt: { amount: 1000, invoiceExternalId: null } });
  });
});

describe("Chargebee operations", () => {
  it("hosted pages for a card update and for paying now are redirects, sent with the idempotency key", async () => {
    const update = await provider.startPaymentMethodUpdate({ customerExternalId: CUSTOMER, returnUrl: "https://app.example/portal/done", idempotencyKey: "k-update" });
    expect(update).toMatchObject({ kind: "redirect", url: expect.stringMatching(/^https:\/\/dunwell-demo-test\.chargebee\.com\/pages\/v3\//) });
    const pay = await provider.startPayNow({ invoiceExternalId: INVOICE, returnUrl: "https://app.example/portal/paid", idempotencyKey: "k-pay" });
    expect(pay.kind).toBe("redirect");
    expect(posts().map((r) => [r.path, r.body["customer[id]"], r.body.redirect_url, r.idempotencyKey])).toEqual([
      ["/hosted_pages/manage_payment_sources", CUSTOMER, "https://app.example/portal/done", "k-update"],
      ["/hosted_pages/collect_now", CUSTOMER, "https://app.example/portal/paid", "k-pay"],
    ]);
    expect(posts()[1]!.body.currency_code).toBe("EUR");
  });

  it("records an out-of-band payment as payment method other", async () => {
    const invoice = await provider.recordOutOfBandPayment({ invoiceExternalId: INVOICE, note: "Bank transfer ref 8812", idempotencyKey: "k-record" });
    expect(posts()[0]!.body).toMatchObject({ "transaction[payment_method]": "other", comment: "Bank transfer ref 8812" });
    expect(invoice).toMatchObject({ status: "paid", amountRemaining: 0 });
  });

  it("cancels at the end of term or at once, and pauses immediately", async () => {
    expect(await provider.cancelSubscription({ subscriptionExternalId: SUBSCRIPTION, atPeriodEnd: true, idempotencyKey: "k-cancel-eot" })).toMatchObject({ status: "active", cancelAtPeriodEnd: true });
    expect(await provider.cancelSubscription({ subscriptionExternalId: SUBSCRIPTION, atPeriodEnd: false, idempotencyKey: "k-cancel-now" })).toMatchObject({ status: "canceled" });
    expect(await provider.pauseSubscription({ subscriptionExternalId: SUBSCRIPTION, idempotencyKey: "k-pause" })).toMatchObject({ status: "paused" });
    expect(posts().map((r) => [r.path, r.body.end_of_term ?? r.body.pause_option, r.idempotencyKey])).toEqual([
      [`/subscriptions/${SUBSCRIPTION}/cancel_for_items`, "true", "k-cancel-eot"],
      [`/subscriptions/${SUBSCRIPTION}/cancel_for_items`, "false", "k-cancel-now"],
      [`/subscriptions/${SUBSCRIPTION}/pause`, "immediately", "k-pause"],
    ]);
  });

  it("marks an invoice uncollectible by writing it off", async () => {
    const invoice = await provider.markInvoiceUncollectible({ invoiceExternalId: INVOICE, idempotencyKey: "k-write-off" });
    expect(posts()[0]!.path).toBe(`/invoices/${INVOICE}/write_off`);
    expect(invoice).toMatchObject({ status: "uncollectible", amountRemaining: 5880, amountPaid: 0 });
  });

  it("hashes idempotency keys longer than Chargebee's 100 characters, stably", async () => {
    const long = `case_${"x".repeat(120)}`;
    await provider.recordOutOfBandPayment({ invoiceExternalId: INVOICE, amount: 100, note: "n", idempotencyKey: long });
    const sent = posts()[0]!.idempotencyKey!;
    expect(sent.length).toBeLessThanOrEqual(100);
    await provider.recordOutOfBandPayment({ invoiceExternalId: INVOICE, amount: 100, note: "n", idempotencyKey: long });
    expect(posts()[1]!.idempotencyKey).toBe(sent);
    expect(fake.state.invoices.get(INVOICE)!.amount_paid).toBe(100);
  });

  it("lists payment methods with the customer's primary one as default", async () => {
    fake.state.paymentSources.set("pm_second", { ...cbFixtures.paymentSource(), id: "pm_second", card: { ...(cbFixtures.paymentSource().card as object), last4: "1881", brand: "visa" } });
    const methods = await provider.listPaymentMethods(CUSTOMER);
    expect(methods.map((m) => [m.externalId, m.brand, m.last4, m.isDefault])).toEqual([
      [SOURCE, "mastercard", "4444", true],
      ["pm_second", "visa", "1881", false],
    ]);
  });

  it("lists open invoices only, with status[in] payment_due and not_paid", async () => {
    fake.state.invoices.set("INV-PAID", { ...cbFixtures.invoice(), id: "INV-PAID", status: "paid", amount_due: 0, amount_paid: 5880 });
    fake.state.invoices.set("INV-NOT-PAID", { ...cbFixtures.invoice(), id: "INV-NOT-PAID", status: "not_paid", dunning_status: "exhausted" });
    const page = await provider.listOpenInvoices(null);
    expect(page.items.map((i) => i.externalId).sort()).toEqual([INVOICE, "INV-NOT-PAID"]);
    expect(fake.requests[0]!.query["status[in]"]).toBe('["payment_due","not_paid"]');
  });

  it("pages through customers and subscriptions with offset cursors", async () => {
    for (let n = 0; n < 150; n++) fake.state.customers.set(`cus_${n}`, { ...cbFixtures.customer(), id: `cus_${n}` });
    const first = await provider.listCustomers(null);
    expect(first.items).toHaveLength(100);
    expect(first.next).not.toBeNull();
    const second = await provider.listCustomers(first.next);
    expect(second.items).toHaveLength(51);
    expect(second.next).toBeNull();
    expect(fake.requests[1]!.query.offset).toBe(first.next);
    expect((await provider.listSubscriptions(null)).items.map((s) => s.externalId)).toEqual([SUBSCRIPTION]);
  });

  it("listMissedEvents pages events after `since`, oldest first, 100 at a time", async () => {
    const base = Date.parse("2025-03-01T00:00:00Z");
    for (let n = 0; n < 130; n++) {
      fake.state.events.push(chargebeeEvent(n % 2 ? "payment_failed" : "invoice_updated", { invoice: cbFixtures.invoice() }, { id: `ev_${n}`, occurredAt: new Date(base + n * 60_000) }));
    }
    fake.state.events.push(chargebeeEvent("invoice_updated", {}, { id: "ev_old", occurredAt: new Date(base - 86_400_000) }));
    const since = new Date(base + 10 * 60_000);
    const first = await provider.listMissedEvents({ since, cursor: null });
    expect(fake.requests[0]!.query).toMatchObject({ limit: "100", "sort_by[asc]": "occurred_at", "occurred_at[after]": String(since.getTime() / 1000 - 1) });
    expect(first.items).toHaveLength(100);
    expect(first.items[0]).toMatchObject({ providerEventId: "ev_10", type: "invoice_updated", occurredAt: since });
    const second = await provider.listMissedEvents({ since, cursor: first.next });
    expect(second.next).toBeNull();
    const ids = [...first.items, ...second.items].map((e) => e.providerEventId);
    expect(ids).toHaveLength(120);
    expect(ids.at(-1)).toBe("ev_129");
    expect(ids).not.toContain("ev_old");
    // The stored events normalize like webhooks do.
    expect(await provider.normalizeWebhook(second.items.at(-1)!)).toEqual([expect.objectContaining({ type: "payment.failed" })]);
  });
});
