import { describe, expect, it } from "vitest";
import { createSandboxProvider } from "@/lib/billing/sandbox";
import { attachPaymentMethod, authenticate, completeSandboxForm, createCustomer, createSubscription, describeSandboxForm, renewSubscription, type CardInput } from "@/lib/billing/sandbox/simulate";
import { getObject, listObjects } from "@/lib/billing/sandbox/store";
import { ProviderError } from "@/lib/billing/errors";
import { makeSandboxContext, type SandboxTestContext } from "../../../helpers/sandbox";

const DAY = 24 * 3600 * 1000;

/** A customer on a monthly plan whose renewal has just been attempted with `card`. */
async function renewedWith(ctx: SandboxTestContext, card: CardInput, amount = 2900) {
  const customer = await createCustomer(ctx, { email: "sub@example.com", name: "Sub", currency: "eur", timezone: "Europe/Berlin", paymentMethod: card });
  const subscription = await createSubscription(ctx, { customerId: customer.id, planName: "Pro", amount, currency: "eur", interval: "month" });
  const renewal = await renewSubscription(ctx, subscription.id);
  return { customer, subscription, invoice: renewal.invoice!, charge: renewal.charge! };
}

const charges = async (ctx: SandboxTestContext) => listObjects({ db: ctx.db, connectionId: ctx.connectionId, now: ctx.clock.now() }, "charge");

describe("sandbox provider operations", () => {
  it("charges once per idempotency key and returns the first outcome to a repeat", async () => {
    const ctx = await makeSandboxContext();
    const provider = createSandboxProvider(ctx);
    const { customer, invoice } = await renewedWith(ctx, "tok_insufficient_funds");
    await attachPaymentMethod(ctx, customer.id, "tok_visa", { makeDefault: true });
    const before = (await charges(ctx)).length;

    const first = await provider.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: "step-1" });
    const again = await provider.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: "step-1" });
    expect(first.status).toBe("succeeded");
    expect(again).toEqual(first);
    expect((await charges(ctx)).length).toBe(before + 1);
    expect((await provider.getInvoice(invoice.id)).amountPaid).toBe(2900);

    // The same key for a different request is refused rather than silently answered.
    await expect(provider.chargeAmount({ customerExternalId: customer.id, amount: 100, currency: "eur", description: "x", idempotencyKey: "step-1" })).rejects.toMatchObject({ providerCode: "idempotency_key_in_use" });
  });

  it("declines a card with declineUntil until the clock passes the date, then succeeds", async () => {
    const ctx = await makeSandboxContext("2025-03-03T09:00:00Z");
    const provider = createSandboxProvider(ctx);
    const { invoice, charge } = await renewedWith(ctx, { token: "tok_visa", declineUntil: "2025-03-10T00:00:00Z" });
    expect(charge).toMatchObject({ status: "failed", decline_code: "insufficient_funds", failure_code: "card_declined" });

    ctx.clock.set("2025-03-09T23:59:59Z");
    expect((await provider.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: "r1" })).status).toBe("failed");
    ctx.clock.set("2025-03-10T00:00:00Z");
    const paid = await provider.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: "r2" });
    expect(paid.status).toBe("succeeded");
    expect(paid.invoice).toMatchObject({ status: "paid", amountRemaining: 0, attemptCount: 3, paidAt: new Date("2025-03-10T00:00:00Z") });
    expect((await provider.getSubscription(invoice.subscription!)).status).toBe("active");
    expect((await provider.getCustomer(invoice.customer)).delinquent).toBe(false);
  });

  it("asks for 3-D Secure, then pays once the customer authenticates", async () => {
    const ctx = await makeSandboxContext();
    const provider = createSandboxProvider(ctx);
    const { invoice } = await renewedWith(ctx, "tok_authentication_required");
    const outcome = await provider.retryInvoicePayment({ invoiceExternalId: invoice.id, idempotencyKey: "3ds" });
    expect(outcome.status).toBe("requires_action");
    expect(outcome.action?.kind).toBe("sandbox_form");
    const reference = outcome.action!.kind === "sandbox_form" ? outcome.action!.reference : "";
    expect(await describeSandboxForm(ctx, reference)).toMatchObject({ purpose: "authenticate", status: "open", amount: 2900, currency: "eur" });

    const done = await authenticate(ctx, reference);
    expect(done).toMatchObject({ status: "succeeded", invoice: { status: "paid", amountRemaining: 0 }, attempt: { initiatedBy: "customer" } });
    expect(done.attempt!.externalId).not.toBe(reference);
    expect(await authenticate(ctx, reference)).toEqual(done);
    expect((await describeSandboxForm(ctx, reference)).status).toBe("complete");
    expect((await provider.getSubscription(invoice.subscription!)).status).toBe("active");
  });

  it("applies partial charges to the invoice until it is paid, and refuses more than is owed", async () => {
    const ctx = await makeSandboxContext();
    const provider = createSandboxProvider(ctx);
    const { customer, invoice } = await renewedWith(ctx, "tok_insufficient_funds", 9000);
    await attachPaymentMethod(ctx, customer.id, "tok_mastercard", { makeDefault: true });
    const part = (n: number, amount: number) =>
      provider.chargeAmount({ customerExternalId: customer.id, invoiceExternalId: invoice.id, amount, currency: "eur", description: `Installment ${n}`, idempotencyKey: `inst-${n}` });

    expect((await part(1, 3000)).invoice).toMatchObject({ status: "open", amountPaid: 3000, amountRemaining: 6000 });
    await expect(part(2, 6001)).rejects.toMatchObject({ providerCode: "amount_too_large" });
    expect((await part(3, 3000)).invoice).toMatchObject({ status: "open", amountRemaining: 3000 });
    const last = await part(4, 3000);
    expect(last.invoice).toMatchObject({ status: "paid", amountPaid: 9000, amountRemaining: 0, attemptCount: 1 });
    expect(last.attempt).toMatchObject({ amount: 3000, status: "succeeded", initiatedBy: "dunwell" });
    await expect(part(5, 1)).rejects.toMatchObject({ providerCode: "invoice_not_open" });
    await expect(provider.chargeAmount({ customerExternalId: customer.id, invoiceExternalId: invoice.id, amount: 10, currency: "usd", description: "x", idempotencyKey: "cur" })).rejects.toThrow(ProviderError);
  });

  it("refuses to charge another customer's payment method", async () => {
    const ctx = await makeSandboxContext();
    const provider = createSandboxProvider(ctx);
    const { invoice } = await renewedWith(ctx, "tok_generic_decline");
    const other = await createCustomer(ctx, { email: "o@example.com", name: "O", currency: "eur", paymentMethod: "tok_visa" });
    await expect(provider.retryInvoicePayment({ invoiceExternalId: invoice.id, paymentMethodExternalId: other.default_payment_method!, idempotencyKey: "x" })).rejects.toMatchObject({ providerCode: "payment_method_unexpected_state" });
  });

  it("pays from the sandbox form: a declined card leaves the form open, a good card pays and becomes the default", async () => {
    const ctx = await makeSandboxContext();
    const provider = createSandboxProvider(ctx);
    const { customer, invoice } = await renewedWith(ctx, "tok_expired_card");
    const action = await provider.startPayNow({ invoiceExternalId: invoice.id, returnUrl: "http://localhost/p/back", idempotencyKey: "pay-now" });
    expect(await provider.startPayNow({ invoiceExternalId: invoice.id, returnUrl: "http://localhost/p/back", idempotencyKey: "pay-now" })).toEqual(action);
    const reference = action.kind === "sandbox_form" ? action.reference : "";
    expect(await describeSandboxForm(ctx, reference)).toMatchObject({ purpose: "payment", status: "open", amount: 2900, returnUrl: "http://localhost/p/back" });

    const declined = await completeSandboxForm(ctx, reference, "tok_lost_card");
    expect(declined.outcome).toMatchObject({ status: "failed", attempt: { declineCode: "lost_card", initiatedBy: "customer" } });
    const paid = await completeSandboxForm(ctx, reference, "tok_mastercard");
    expect(paid).toMatchObject({ mode: "payment", paymentMethod: { brand: "mastercard", last4: "4444", isDefault: true }, outcome: { status: "succeeded", invoice: { status: "paid" } } });
    await expect(completeSandboxForm(ctx, reference, "tok_visa")).rejects.toMatchObject({ providerCode: "checkout_session_complete" });
    const methods = await provider.listPaymentMethods(customer.id);
    expect(methods.filter((m) => m.isDefault).map((m) => m.last4)).toEqual(["4444"]);
  });

  it("updates the card from the sandbox form without charging", async () => {
    const ctx = await makeSandboxContext();
    const provider = createSandboxProvider(ctx);
    const { customer } = await renewedWith(ctx, "tok_expired_card");
    const before = (await charges(ctx)).length;
    const action = await provider.startPaymentMethodUpdate({ customerExternalId: customer.id, returnUrl: "http://localhost/p/done", idempotencyKey: "upd" });
    const result = await completeSandboxForm(ctx, action.kind === "sandbox_form" ? action.reference : "", "tok_visa");
    expect(result).toMatchObject({ mode: "setup", returnUrl: "http://localhost/p/done", outcome: null, paymentMethod: { last4: "4242", isDefault: true } });
    expect((await charges(ctx)).length).toBe(before);
  });

  it("records out-of-band payments, cancels, pauses and writes off, each once per key", async () => {
    const ctx = await makeSandboxContext();
    const provider = createSandboxProvider(ctx);
    const first = await renewedWith(ctx, "tok_generic_decline", 5000);
    expect(await provider.recordOutOfBandPayment({ invoiceExternalId: first.invoice.id, amount: 2000, note: "bank transfer", idempotencyKey: "oob-1" })).toMatchObject({ status: "open", amountRemaining: 3000 });
    expect(await provider.recordOutOfBandPayment({ invoiceExternalId: first.invoice.id, amount: 2000, note: "bank transfer", idempotencyKey: "oob-1" })).toMatchObject({ amountRemaining: 3000 });
    expect(await provider.recordOutOfBandPayment({ invoiceExternalId: first.invoice.id, note: "rest by cheque", idempotencyKey: "oob-2" })).toMatchObject({ status: "paid", amountPaid: 5000 });

    const second = await renewedWith(ctx, "tok_lost_card");
    expect(await provider.markInvoiceUncollectible({ invoiceExternalId: second.invoice.id, idempotencyKey: "wo" })).toMatchObject({ status: "uncollectible" });
    expect((await provider.getCustomer(second.customer.id)).delinquent).toBe(false);

    const later = await provider.cancelSubscription({ subscriptionExternalId: second.subscription.id, atPeriodEnd: true, idempotencyKey: "c1" });
    expect(later).toMatchObject({ status: "past_due", cancelAtPeriodEnd: true });
    expect((await renewSubscription(ctx, second.subscription.id)).subscription.status).toBe("canceled");

    const third = await renewedWith(ctx, "tok_visa");
    expect(await provider.pauseSubscription({ subscriptionExternalId: third.subscription.id, idempotencyKey: "p" })).toMatchObject({ status: "paused" });
    expect(await provider.cancelSubscription({ subscriptionExternalId: third.subscription.id, atPeriodEnd: false, idempotencyKey: "c2" })).toMatchObject({ status: "canceled" });
    await expect(renewSubscription(ctx, third.subscription.id)).rejects.toMatchObject({ providerCode: "subscription_not_active" });
  });

  it("answers testConnection and pages through customers and open invoices", async () => {
    const ctx = await makeSandboxContext();
    const provider = createSandboxProvider(ctx);
    expect(await provider.testConnection()).toEqual({ account: `sandbox:${ctx.connectionId}`, livemode: false });
    const open = await renewedWith(ctx, "tok_insufficient_funds");
    await renewedWith(ctx, "tok_visa");
    for (let i = 0; i < 99; i++) await createCustomer(ctx, { email: `c${i}@example.com`, name: `C${i}`, currency: "usd" });

    const first = await provider.listCustomers(null);
    expect(first.items).toHaveLength(100);
    const second = await provider.listCustomers(first.next);
    expect(second).toMatchObject({ next: null });
    expect(second.items).toHaveLength(1);
    expect(new Set([...first.items, ...second.items].map((c) => c.externalId)).size).toBe(101);
    expect((await provider.listOpenInvoices(null)).items.map((i) => i.externalId)).toEqual([open.invoice.id]);
    expect((await provider.listSubscriptions(null)).items).toHaveLength(2);
  });

  it("keeps two sandbox connections apart", async () => {
    const a = await makeSandboxContext();
    const b = await makeSandboxContext();
    const inA = await renewedWith(a, "tok_insufficient_funds");
    const providerB = createSandboxProvider(b);
    await expect(providerB.getCustomer(inA.customer.id)).rejects.toMatchObject({ code: "not_found", httpStatus: 404 });
    await expect(providerB.getInvoice(inA.invoice.id)).rejects.toMatchObject({ httpStatus: 404 });
    await expect(providerB.retryInvoicePayment({ invoiceExternalId: inA.invoice.id, idempotencyKey: "k" })).rejects.toMatchObject({ httpStatus: 404 });
    await expect(authenticate(b, inA.charge.id)).rejects.toMatchObject({ httpStatus: 404 });
    expect((await providerB.listCustomers(null)).items).toEqual([]);
    expect((await providerB.listOpenInvoices(null)).items).toEqual([]);
    expect((await providerB.listMissedEvents({ since: new Date(0), cursor: null })).items).toEqual([]);
    // The same idempotency key in each account is two different requests.
    const inB = await renewedWith(b, "tok_insufficient_funds");
    await attachPaymentMethod(b, inB.customer.id, "tok_visa", { makeDefault: true });
    expect((await createSandboxProvider(a).retryInvoicePayment({ invoiceExternalId: inA.invoice.id, idempotencyKey: "same" })).status).toBe("failed");
    expect((await providerB.retryInvoicePayment({ invoiceExternalId: inB.invoice.id, idempotencyKey: "same" })).status).toBe("succeeded");
    expect((await getObject({ db: a.db, connectionId: a.connectionId, now: a.clock.now() }, "invoice", inA.invoice.id)).status).toBe("open");
  });
});
