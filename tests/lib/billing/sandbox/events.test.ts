import { describe, expect, it } from "vitest";
import { WebhookRejected } from "@/lib/billing/errors";
import { createSandboxProvider } from "@/lib/billing/sandbox";
import { deliverSandboxEvents, listUndeliveredEvents, SANDBOX_SIGNATURE_HEADER, signSandboxPayload } from "@/lib/billing/sandbox/events";
import {
  attachPaymentMethod,
  authenticate,
  createCustomer,
  createSubscription,
  detachPaymentMethod,
  renewSubscription,
  updateCardExpiry,
  voidInvoice,
} from "@/lib/billing/sandbox/simulate";
import type { BillingProvider, NormalizedEvent, VerifiedWebhook } from "@/lib/billing/types";
import { makeSandboxContext, SANDBOX_TEST_SECRET, type SandboxTestContext } from "../../../helpers/sandbox";

const NOW = new Date("2025-03-03T09:00:00Z");
const body = JSON.stringify({ id: "evt_1", object: "event", type: "invoice.paid", created: 1741000000, data: { object: { id: "in_1", object: "invoice" } } });
const request = (headers: Record<string, string>, rawBody = body, now = NOW) => ({ headers: new Headers(headers), rawBody, now });

async function sandboxWith(ctx?: SandboxTestContext) {
  const context = ctx ?? (await makeSandboxContext());
  return { ctx: context, provider: createSandboxProvider(context) };
}

/** Deliver everything pending and verify each delivery as the webhook route would. */
async function drain(ctx: SandboxTestContext, provider: BillingProvider): Promise<VerifiedWebhook[]> {
  const received: VerifiedWebhook[] = [];
  await deliverSandboxEvents(ctx, async ({ body: raw, headers }) => {
    received.push(provider.verifyWebhook({ headers, rawBody: raw, now: ctx.clock.now() }));
  });
  return received;
}

describe("sandbox webhook signatures", () => {
  it("accepts its own signature and parses the event", async () => {
    const { provider } = await sandboxWith();
    const verified = provider.verifyWebhook(request({ [SANDBOX_SIGNATURE_HEADER]: signSandboxPayload(SANDBOX_TEST_SECRET, body, NOW) }));
    expect(verified).toMatchObject({ providerEventId: "evt_1", type: "invoice.paid", occurredAt: new Date(1741000000 * 1000) });
  });

  it.each([
    ["missing", {}, body, NOW, /Missing/],
    ["tampered body", { [SANDBOX_SIGNATURE_HEADER]: signSandboxPayload(SANDBOX_TEST_SECRET, body, NOW) }, body.replace("in_1", "in_2"), NOW, /does not match/],
    ["wrong secret", { [SANDBOX_SIGNATURE_HEADER]: signSandboxPayload("whsec_other", body, NOW) }, body, NOW, /does not match/],
    ["stale", { [SANDBOX_SIGNATURE_HEADER]: signSandboxPayload(SANDBOX_TEST_SECRET, body, NOW) }, body, new Date(NOW.getTime() + 301_000), /300 s/],
    ["malformed", { [SANDBOX_SIGNATURE_HEADER]: "v1=abc" }, body, NOW, /Malformed/],
  ])("rejects a %s signature with 400", async (_label, headers, raw, now, message) => {
    const { provider } = await sandboxWith();
    let error: unknown;
    try {
      provider.verifyWebhook(request(headers, raw, now));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WebhookRejected);
    expect(error).toMatchObject({ httpStatus: 400, message: expect.stringMatching(message) });
  });

  it("accepts a signature 300 s old", async () => {
    const { provider } = await sandboxWith();
    const header = signSandboxPayload(SANDBOX_TEST_SECRET, body, NOW);
    expect(() => provider.verifyWebhook(request({ [SANDBOX_SIGNATURE_HEADER]: header }, body, new Date(NOW.getTime() + 300_000)))).not.toThrow();
  });
});

describe("sandbox event delivery", () => {
  it("delivers each event once, oldest first, and again after a failed delivery", async () => {
    const { ctx, provider } = await sandboxWith();
    const customer = await createCustomer(ctx, { email: "d@example.com", name: "D", currency: "eur", paymentMethod: "tok_insufficient_funds" });
    const subscription = await createSubscription(ctx, { customerId: customer.id, planName: "Pro", amount: 2900, currency: "eur", interval: "month" });
    await renewSubscription(ctx, subscription.id);

    const expected = [
      "customer.created",
      "payment_method.attached",
      "customer.updated",
      "customer.subscription.created",
      "customer.subscription.updated",
      "invoice.created",
      "invoice.finalized",
      "charge.failed",
      "payment_intent.payment_failed",
      "invoice.payment_failed",
      "customer.subscription.updated",
      "customer.updated",
    ];
    let calls = 0;
    const seen: string[] = [];
    await expect(
      deliverSandboxEvents(ctx, async ({ body: raw }) => {
        if (++calls === 6) throw new Error("receiver down");
        seen.push(JSON.parse(raw).type as string);
      }),
    ).rejects.toThrow("receiver down");
    expect(seen).toEqual(expected.slice(0, 5));

    // The next run starts with the event whose delivery failed, and sends each of the rest once.
    const rest = await drain(ctx, provider);
    expect(rest.map((e) => e.type)).toEqual(expected.slice(5));
    expect(new Set(rest.map((e) => e.providerEventId)).size).toBe(rest.length);
    expect(await drain(ctx, provider)).toEqual([]);
    expect((await provider.listMissedEvents({ since: new Date(0), cursor: null })).items).toEqual([]);
  });

  it("lists undelivered events for reconciliation, page by page, with the delivered body as payload", async () => {
    const { ctx, provider } = await sandboxWith();
    await createCustomer(ctx, { email: "r@example.com", name: "R", currency: "usd", paymentMethod: "tok_visa" });
    const first = await listUndeliveredEvents({ db: ctx.db, connectionId: ctx.connectionId, now: ctx.clock.now() }, { since: new Date(0), cursor: null }, 2);
    expect(first.items.map((e) => e.type)).toEqual(["customer.created", "payment_method.attached"]);
    const second = await listUndeliveredEvents({ db: ctx.db, connectionId: ctx.connectionId, now: ctx.clock.now() }, { since: new Date(0), cursor: first.next }, 2);
    expect(second.items.map((e) => e.type)).toEqual(["customer.updated"]);
    expect(second.next).toBeNull();
    expect((await provider.listMissedEvents({ since: new Date(ctx.clock.now().getTime() + 1000), cursor: null })).items).toEqual([]);

    const delivered = await drain(ctx, provider);
    expect(delivered.map((e) => e.payload)).toEqual([...first.items, ...second.items].map((e) => e.payload));
  });
});

describe("sandbox normalizeWebhook", () => {
  it("maps every event type to Dunwell's events, reading the objects as they are now", async () => {
    const { ctx, provider } = await sandboxWith();
    const customer = await createCustomer(ctx, { email: "n@example.com", name: "N", locale: "de", timezone: "Europe/Berlin", country: "de", currency: "eur", paymentMethod: "tok_mc_do_not_retry" });
    const subscription = await createSubscription(ctx, { customerId: customer.id, planName: "Pro", amount: 2900, currency: "eur", interval: "year" });
    const failed = await renewSubscription(ctx, subscription.id);
    const card3ds = await attachPaymentMethod(ctx, customer.id, "tok_authentication_required", { makeDefault: true });
    const action = await provider.retryInvoicePayment({ invoiceExternalId: failed.invoice!.id, idempotencyKey: "a" });
    await authenticate(ctx, action.attempt!.externalId);
    // Standalone charges (no invoice payment): one with a spare good card, one with the declining card.
    const spare = await attachPaymentMethod(ctx, customer.id, "tok_visa", { makeDefault: false });
    await provider.chargeAmount({ customerExternalId: customer.id, amount: 500, currency: "eur", paymentMethodExternalId: spare.id, description: "setup fee", idempotencyKey: "fee" });
    await provider.chargeAmount({ customerExternalId: customer.id, amount: 500, currency: "eur", paymentMethodExternalId: customer.default_payment_method!, description: "add-on", idempotencyKey: "addon" });
    await updateCardExpiry(ctx, card3ds.id, { expMonth: 1, expYear: 2030 });
    const second = await renewSubscription(ctx, subscription.id);
    await voidInvoice(ctx, second.invoice!.id);
    const third = await renewSubscription(ctx, subscription.id);
    await provider.markInvoiceUncollectible({ invoiceExternalId: third.invoice!.id, idempotencyKey: "u" });
    await provider.pauseSubscription({ subscriptionExternalId: subscription.id, idempotencyKey: "p" });
    await provider.cancelSubscription({ subscriptionExternalId: subscription.id, atPeriodEnd: false, idempotencyKey: "c" });
    await detachPaymentMethod(ctx, card3ds.id);

    // Every distinct result per event type (charge.succeeded is ignored for an invoice payment, mapped for a standalone charge).
    const results = new Map<string, NormalizedEvent[][]>();
    const byType = new Map<string, Set<string>>();
    for (const event of await drain(ctx, provider)) {
      const normalized = await provider.normalizeWebhook(event);
      if (normalized) results.set(event.type, [...(results.get(event.type) ?? []), normalized]);
      byType.set(event.type, (byType.get(event.type) ?? new Set()).add(normalized ? normalized.map((n) => n.type).join("+") : "ignored"));
    }
    expect(Object.fromEntries([...byType].sort(([a], [b]) => a.localeCompare(b)).map(([t, s]) => [t, [...s].sort()]))).toEqual({
      "charge.failed": ["ignored", "payment.failed"],
      "charge.succeeded": ["ignored", "payment.succeeded"],
      "customer.created": ["customer.updated"],
      "customer.subscription.created": ["subscription.updated"],
      "customer.subscription.deleted": ["subscription.canceled"],
      "customer.subscription.paused": ["subscription.paused"],
      "customer.subscription.updated": ["subscription.updated"],
      "customer.updated": ["customer.updated"],
      "invoice.created": ["ignored"],
      "invoice.finalized": ["invoice.updated"],
      "invoice.marked_uncollectible": ["invoice.uncollectible"],
      "invoice.paid": ["invoice.paid"],
      "invoice.payment_action_required": ["payment.action_required"],
      "invoice.payment_failed": ["payment.failed"],
      "invoice.payment_succeeded": ["payment.succeeded"],
      "invoice.voided": ["invoice.voided"],
      "payment_intent.payment_failed": ["ignored"],
      "payment_intent.requires_action": ["ignored"],
      "payment_intent.succeeded": ["ignored"],
      "payment_method.attached": ["payment_method.attached"],
      "payment_method.detached": ["payment_method.detached"],
      "payment_method.updated": ["payment_method.updated"],
    });
    const first = (type: string) => results.get(type)![0]!;

    const [paymentFailed] = first("invoice.payment_failed");
    expect(paymentFailed!.attempt).toMatchObject({ status: "failed", declineCode: "do_not_honor", failureCode: "card_declined", adviceCode: "do_not_try_again", networkAdviceCode: "03", networkDeclineCode: "05", cardBrand: "mastercard" });
    // Convergent: the invoice is read as it is now (paid after 3-D Secure), the attempt is the one the event was about.
    expect(paymentFailed!.invoice).toMatchObject({ externalId: failed.invoice!.id, status: "paid" });
    const [actionRequired] = first("invoice.payment_action_required");
    expect(actionRequired!.attempt).toMatchObject({ status: "requires_action", declineCode: "authentication_required", externalId: action.attempt!.externalId });
    const [subscriptionUpdated] = first("customer.subscription.updated");
    expect(subscriptionUpdated!.subscription).toMatchObject({ status: "canceled", mrrMinor: 242, planName: "Pro" });
    const [customerUpdated] = first("customer.created");
    expect(customerUpdated!.customer).toMatchObject({ locale: "de", timezone: "Europe/Berlin", country: "DE", currency: "eur" });
    const [detached] = first("payment_method.detached");
    expect(detached!.paymentMethod).toMatchObject({ status: "detached", isDefault: false, last4: "3184" });
  });

  it("turns a standalone charge's events into payment events and ignores unknown types", async () => {
    const { ctx, provider } = await sandboxWith();
    const customer = await createCustomer(ctx, { email: "s@example.com", name: "S", currency: "usd", paymentMethod: "tok_authentication_required" });
    const outcome = await provider.chargeAmount({ customerExternalId: customer.id, amount: 700, currency: "usd", description: "installment", idempotencyKey: "i" });
    expect(outcome.status).toBe("requires_action");
    await authenticate(ctx, outcome.attempt!.externalId);
    const events = await drain(ctx, provider);
    const normalized = await Promise.all(events.map(async (e) => [e.type, (await provider.normalizeWebhook(e))?.map((n) => [n.type, n.attempt?.status])] as const));
    expect(normalized.filter(([, n]) => n?.[0]?.[0]?.startsWith("payment."))).toEqual([
      ["payment_intent.requires_action", [["payment.action_required", "requires_action"]]],
      ["charge.succeeded", [["payment.succeeded", "succeeded"]]],
    ]);
    const unknown = { ...events[0]!, type: "balance.available", payload: { ...(events[0]!.payload as object), type: "balance.available" } };
    expect(await provider.normalizeWebhook(unknown)).toBeNull();
  });
});
