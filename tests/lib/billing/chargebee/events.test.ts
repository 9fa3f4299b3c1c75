import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createChargebeeProvider } from "@/lib/billing/chargebee";
import type { BillingProvider, NormalizedEvent } from "@/lib/billing/types";
import { fixedClock } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { startFakeChargebee, type FakeChargebee } from "@/tests/fakes/chargebee-api";
import { chargebeeEvent, chargebeeWebhookRequest, contentFor } from "@/tests/helpers/chargebee-events";

const auth = { username: "dunwell-hooks", password: "s3cret-webhook-pass" };
let fake: FakeChargebee;
let provider: BillingProvider;

beforeAll(async () => {
  fake = await startFakeChargebee();
  provider = createChargebeeProvider({
    connectionId: "con_events_test",
    workspaceId: "ws_test",
    apiBase: fake.url,
    settings: {},
    credentials: { provider: "chargebee", site: fake.site, apiKey: fake.apiKey, webhookUsername: auth.username, webhookPassword: auth.password },
    db: await getDb(),
    clock: fixedClock("2025-03-01T12:00:05Z"),
  });
});
afterAll(() => fake.close());
beforeEach(() => void fake.requests.splice(0));

/** Through the same path a stored webhook takes: verify, then normalize. */
async function normalize(type: string, content = contentFor(type), occurredAt = new Date("2025-03-01T12:00:03Z")): Promise<NormalizedEvent[] | null> {
  const verified = provider.verifyWebhook(chargebeeWebhookRequest(chargebeeEvent(type, content, { occurredAt }), auth));
  return provider.normalizeWebhook(verified);
}
async function only(type: string, content?: Record<string, unknown>): Promise<NormalizedEvent> {
  const events = await normalize(type, content);
  expect(events).toHaveLength(1);
  return events![0]!;
}

describe("Chargebee event handlers", () => {
  it("payment_failed: the failed attempt with Chargebee's and the gateway's codes, and the invoice in Chargebee dunning", async () => {
    const event = await only("payment_failed");
    expect(event.type).toBe("payment.failed");
    expect(event.occurredAt.toISOString()).toBe("2025-03-01T12:00:03.000Z");
    expect(event.attempt).toMatchObject({
      externalId: "txn_AzZlGJUVm3Py21KcG",
      customerExternalId: "AzZlGJUVm3Pq41Kc7",
      invoiceExternalId: "INV-2025-0311",
      paymentMethodExternalId: "pm_AzZlGJUVm3Pr61Kc9",
      cardBrand: "mastercard",
      amount: 5880,
      currency: "eur",
      status: "failed",
      failureCode: "card_declined",
      failureMessage: "Your card has insufficient funds.",
      declineCode: "insufficient_funds",
      networkDeclineCode: "51",
      adviceCode: "try_again_later",
      networkAdviceCode: "02",
      initiatedBy: "provider",
    });
    expect(event.attempt!.attemptedAt.toISOString()).toBe("2025-03-01T12:00:02.000Z");
    expect(event.invoice).toMatchObject({
      externalId: "INV-2025-0311",
      subscriptionExternalId: "AzZlGJUVm3Pt81KcB",
      status: "open",
      amountDue: 5880,
      amountPaid: 0,
      amountRemaining: 5880,
      currency: "eur",
      providerDunningStatus: "in_progress",
      attemptCount: 1,
      version: 1740830402233,
    });
    expect(event.invoice!.nextPaymentAttemptAt?.toISOString()).toBe("2025-03-04T12:00:02.000Z");
    expect(event.subscription).toMatchObject({ status: "past_due", mrrMinor: 4900, currency: "eur", planName: "growth-EUR-Monthly" });
    expect(event.customer).toMatchObject({ name: "Camille Durand", email: "camille.durand@example.fr", locale: "fr-FR", country: "FR", currency: "eur", metadata: { crm_id: "4411", seats: "12" } });
    // Versioned snapshots are used as sent: no API call.
    expect(fake.requests).toHaveLength(0);
  });

  it("payment_succeeded: a succeeded attempt, and invoice.paid when the payment settled the invoice", async () => {
    const events = (await normalize("payment_succeeded"))!;
    expect(events.map((e) => e.type)).toEqual(["payment.succeeded", "invoice.paid"]);
    expect(events[0]!.attempt).toMatchObject({ externalId: "txn_AzZlGJUVm3Q0Y1KcM", status: "succeeded", amount: 5880, declineCode: null, failureCode: null });
    expect(events[1]!.invoice).toMatchObject({ status: "paid", amountPaid: 5880, amountRemaining: 0, providerDunningStatus: "success" });
    expect(events[1]!.invoice!.paidAt?.toISOString()).toBe("2025-03-04T12:00:02.000Z");
  });

  it("invoice_updated: the type follows the invoice's new status", async () => {
    const invoice = contentFor("invoice_updated").invoice as Record<string, unknown>;
    const variant = (patch: Record<string, unknown>) => only("invoice_updated", { invoice: { ...invoice, ...patch } });
    expect((await variant({})).type).toBe("invoice.updated");
    const exhausted = await variant({ status: "not_paid", dunning_status: "exhausted", next_retry_at: undefined });
    expect(exhausted.type).toBe("invoice.updated");
    expect(exhausted.invoice).toMatchObject({ status: "open", providerDunningStatus: "exhausted", nextPaymentAttemptAt: null });
    const voided = await variant({ status: "voided", voided_at: 1741089602 });
    expect([voided.type, voided.invoice!.status]).toEqual(["invoice.voided", "void"]);
    const writtenOff = await variant({ status: "paid", amount_due: 0, write_off_amount: 5880, paid_at: 1741089602 });
    expect([writtenOff.type, writtenOff.invoice!.status]).toEqual(["invoice.uncollectible", "uncollectible"]);
    expect(writtenOff.invoice).toMatchObject({ amountPaid: 0, amountRemaining: 5880 });
    expect((await variant({ status: "pending" })).invoice!.status).toBe("draft");
  });

  it("invoice_deleted: the invoice is void for Dunwell", async () => {
    const event = await only("invoice_deleted", { invoice: { ...(contentFor("invoice_deleted").invoice as object), deleted: true } });
    expect([event.type, event.invoice!.status]).toEqual(["invoice.voided", "void"]);
  });

  it("dunning_updated: Chargebee's dunning status reaches the invoice", async () => {
    const invoice = { ...(contentFor("dunning_updated").invoice as object), dunning_status: "stopped" };
    const event = await only("dunning_updated", { invoice });
    expect([event.type, event.invoice!.providerDunningStatus]).toEqual(["invoice.updated", "stopped"]);
  });

  it("subscription events: updated, canceled, paused and resumed", async () => {
    const sub = contentFor("subscription_changed").subscription as Record<string, unknown>;
    const changed = await only("subscription_changed", { subscription: { ...sub, due_invoices_count: 0, status: "non_renewing" } });
    expect(changed.type).toBe("subscription.updated");
    expect(changed.subscription).toMatchObject({ status: "active", cancelAtPeriodEnd: true, mrrMinor: 4900 });
    expect(changed.subscription!.currentPeriodEnd?.toISOString()).toBe("2025-04-01T12:00:00.000Z");
    const cancelled = await only("subscription_cancelled", { subscription: { ...sub, status: "cancelled", cancelled_at: 1741089602 } });
    expect([cancelled.type, cancelled.subscription!.status]).toEqual(["subscription.canceled", "canceled"]);
    const paused = await only("subscription_paused", { subscription: { ...sub, status: "paused" } });
    expect([paused.type, paused.subscription!.status]).toEqual(["subscription.paused", "paused"]);
    const resumed = await only("subscription_resumed", { subscription: { ...sub, status: "active", due_invoices_count: 0 } });
    expect([resumed.type, resumed.subscription!.status]).toEqual(["subscription.updated", "active"]);
  });

  it("payment source events: attached, updated, expiring and detached, with brand, last four and expiry only", async () => {
    const added = await only("payment_source_added");
    expect(added.type).toBe("payment_method.attached");
    expect(added.paymentMethod).toMatchObject({
      externalId: "pm_AzZlGJUVm3Pr61Kc9",
      customerExternalId: "AzZlGJUVm3Pq41Kc7",
      type: "card",
      brand: "mastercard",
      last4: "4444",
      expMonth: 4,
      expYear: 2025,
      isDefault: true,
      status: "active",
      version: 1736501400530,
    });
    // The card's IIN and masked number never leave the adapter.
    expect(JSON.stringify(added.paymentMethod)).not.toMatch(/555555|\*\*\*\*/);
    expect((await only("payment_source_updated")).type).toBe("payment_method.updated");
    expect((await only("payment_source_expiring")).type).toBe("payment_method.expiring");

    const deleted = await only("payment_source_deleted", { ...contentFor("payment_source_deleted"), payment_source: { ...(contentFor("payment_source_deleted").payment_source as object), deleted: true } });
    expect(deleted.type).toBe("payment_method.detached");
    expect(deleted.paymentMethod).toMatchObject({ status: "detached", isDefault: false });
    expect(deleted.paymentMethod!.version).toBeGreaterThanOrEqual(new Date("2025-03-01T12:00:03Z").getTime());
  });

  it("card_expiry_reminder (legacy card resource): the same card, expiring, with the same fingerprint as its payment source", async () => {
    const reminder = await only("card_expiry_reminder");
    expect(reminder.type).toBe("payment_method.expiring");
    expect(reminder.paymentMethod).toMatchObject({ externalId: "pm_AzZlGJUVm3Pr61Kc9", brand: "mastercard", last4: "4444", expMonth: 4, expYear: 2025 });
    const source = (await only("payment_source_added")).paymentMethod!;
    const failed = (await only("payment_failed")).attempt!;
    expect(reminder.paymentMethod!.fingerprint).toBe(source.fingerprint);
    expect(failed.cardFingerprint).toBe(source.fingerprint);
    expect(source.fingerprint).toMatch(/^cbfp_[0-9a-f]{24}$/);
  });

  it("customer_changed: the customer's new details", async () => {
    const customer = { ...(contentFor("customer_changed").customer as object), email: "compta@atelier-durand.fr", locale: "de-DE" };
    const event = await only("customer_changed", { customer });
    expect(event.type).toBe("customer.updated");
    expect(event.customer).toMatchObject({ email: "compta@atelier-durand.fr", locale: "de-DE" });
  });

  it("returns null for an event type Dunwell does not handle", async () => {
    expect(await normalize("coupon_created", { coupon: { id: "SPRING25" } })).toBeNull();
    expect(await normalize("constructor", {})).toBeNull();
  });

  it("re-fetches a snapshot that carries no resource_version", async () => {
    fake.state.invoices.get("INV-2025-0311")!.dunning_status = "exhausted";
    const { resource_version: _version, ...unversioned } = contentFor("invoice_updated").invoice as Record<string, unknown>;
    const event = await only("invoice_updated", { invoice: { ...unversioned, dunning_status: "in_progress" } });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /invoices/INV-2025-0311"]);
    expect(event.invoice!.providerDunningStatus).toBe("exhausted");
    fake.state.invoices.get("INV-2025-0311")!.dunning_status = "in_progress";
  });

  it("an older resource_version yields a lower version than a newer one, so the store keeps the newer", async () => {
    const invoice = contentFor("invoice_updated").invoice as Record<string, unknown>;
    const older = await only("invoice_updated", { invoice: { ...invoice, resource_version: 1740830402233, dunning_status: "in_progress" } });
    const newer = await only("invoice_updated", { invoice: { ...invoice, resource_version: 1741089602233, dunning_status: "exhausted" } });
    expect(older.invoice!.version).toBeLessThan(newer.invoice!.version);
  });
});
