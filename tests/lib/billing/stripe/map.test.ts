import type Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { mapInvoice, mapSubscription, monthlyRecurringMinor, normalizeBrand } from "@/lib/billing/stripe/map";
import invoiceFixture from "../../../fixtures/stripe/invoice.json";
import subscriptionFixture from "../../../fixtures/stripe/subscription.json";

const item = (unitAmount: number | null, interval: string, o: { quantity?: number; intervalCount?: number; usage?: string } = {}) =>
  ({
    quantity: o.quantity ?? 1,
    price: { unit_amount: unitAmount, recurring: { interval, interval_count: o.intervalCount ?? 1, usage_type: o.usage ?? "licensed" } },
  }) as unknown as Stripe.SubscriptionItem;

const subscription = (edit: (s: Stripe.Subscription) => void) => {
  const copy = structuredClone(subscriptionFixture) as unknown as Stripe.Subscription;
  edit(copy);
  return mapSubscription(copy, 1);
};

describe("Stripe mappers", () => {
  it("normalises MRR to a month: year / 12, week × 52 / 12, day × 365 / 12, per interval_count, rounded once", () => {
    expect(monthlyRecurringMinor([item(2000, "month", { quantity: 3 })])).toBe(6000);
    expect(monthlyRecurringMinor([item(10_000, "year")])).toBe(833);
    expect(monthlyRecurringMinor([item(1000, "week")])).toBe(4333);
    expect(monthlyRecurringMinor([item(100, "day")])).toBe(3042);
    expect(monthlyRecurringMinor([item(9000, "month", { intervalCount: 3 })])).toBe(3000);
    // Summed before rounding: three items at 333.33 make 1000, not 999.
    expect(monthlyRecurringMinor([item(4000, "year"), item(4000, "year"), item(4000, "year")])).toBe(1000);
    // Metered and tiered prices have no fixed amount to count.
    expect(monthlyRecurringMinor([item(500, "month", { usage: "metered" }), item(null, "month")])).toBe(0);
  });

  it("maps subscription statuses; paused collection counts as paused, an expired first payment as canceled", () => {
    expect(subscription((s) => Object.assign(s, { status: "active", pause_collection: null })).status).toBe("active");
    expect(subscription((s) => Object.assign(s, { status: "active", pause_collection: { behavior: "void", resumes_at: null } })).status).toBe("paused");
    expect(subscription((s) => Object.assign(s, { status: "incomplete_expired" })).status).toBe("canceled");
    expect(subscription((s) => Object.assign(s, { status: "something_new" })).status).toBe("other");
  });

  it("reads an invoice's subscription from parent.subscription_details, and its issue date from finalization", () => {
    const invoice = structuredClone(invoiceFixture) as unknown as Stripe.Invoice;
    Object.assign(invoice, { status: "open", parent: { type: "subscription_details", quote_details: null, subscription_details: { subscription: "sub_123", metadata: {} } } });
    invoice.status_transitions.finalized_at = 1_760_000_000;
    expect(mapInvoice(invoice, 7)).toMatchObject({ subscriptionExternalId: "sub_123", issuedAt: new Date(1_760_000_000_000), status: "open", version: 7 });
    Object.assign(invoice, { parent: null, status: null });
    expect(mapInvoice(invoice, 7)).toMatchObject({ subscriptionExternalId: null, status: "draft" });
  });

  it("speaks one brand vocabulary for PaymentMethods and legacy cards", () => {
    expect(["visa", "Visa", "MasterCard", "American Express", "Diners Club", "Eftpos Australia", null].map(normalizeBrand)).toEqual([
      "visa",
      "visa",
      "mastercard",
      "amex",
      "diners",
      "eftpos_au",
      null,
    ]);
  });
});
