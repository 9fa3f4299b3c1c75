import { describe, expect, it } from "vitest";
import { createSandboxProvider } from "@/lib/billing/sandbox";
import { attachPaymentMethod, createCustomer, createSubscription, renewSubscription } from "@/lib/billing/sandbox/simulate";
import { testCards } from "@/lib/billing/sandbox/test-cards";
import { makeSandboxContext } from "../../../helpers/sandbox";

type Expected = { status: string; declineCode: string | null; failureCode: string | null; adviceCode: string | null; networkAdviceCode: string | null };

const expectations: Record<string, Expected> = {
  tok_visa: { status: "succeeded", declineCode: null, failureCode: null, adviceCode: null, networkAdviceCode: null },
  tok_mastercard: { status: "succeeded", declineCode: null, failureCode: null, adviceCode: null, networkAdviceCode: null },
  tok_insufficient_funds: { status: "failed", declineCode: "insufficient_funds", failureCode: "card_declined", adviceCode: "try_again_later", networkAdviceCode: null },
  tok_generic_decline: { status: "failed", declineCode: "generic_decline", failureCode: "card_declined", adviceCode: null, networkAdviceCode: null },
  tok_expired_card: { status: "failed", declineCode: "expired_card", failureCode: "expired_card", adviceCode: "confirm_card_data", networkAdviceCode: null },
  tok_lost_card: { status: "failed", declineCode: "lost_card", failureCode: "card_declined", adviceCode: "do_not_try_again", networkAdviceCode: null },
  tok_do_not_honor: { status: "failed", declineCode: "do_not_honor", failureCode: "card_declined", adviceCode: null, networkAdviceCode: null },
  tok_processing_error: { status: "failed", declineCode: null, failureCode: "processing_error", adviceCode: "try_again_later", networkAdviceCode: null },
  tok_authentication_required: { status: "requires_action", declineCode: "authentication_required", failureCode: "authentication_required", adviceCode: null, networkAdviceCode: null },
  tok_mc_do_not_retry: { status: "failed", declineCode: "do_not_honor", failureCode: "card_declined", adviceCode: "do_not_try_again", networkAdviceCode: "03" },
};

describe("sandbox test cards", () => {
  it("lists every documented token with what the portal form shows, and no card numbers", () => {
    expect(testCards.map((c) => c.token).sort()).toEqual(Object.keys(expectations).sort());
    for (const card of testCards) {
      expect(card.last4).toMatch(/^\d{4}$/);
      expect(card.label.length).toBeGreaterThan(3);
      expect(card.description.length).toBeGreaterThan(10);
      expect(card.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      // Nothing in a test card may look like a card number (13–19 digits).
      expect(JSON.stringify(card)).not.toMatch(/\d{13,19}/);
    }
    expect(new Set(testCards.map((c) => c.fingerprint)).size).toBe(testCards.length);
  });

  it.each(Object.entries(expectations))("%s charges as documented, at renewal and on a Dunwell retry", async (token, expected) => {
    const ctx = await makeSandboxContext();
    const customer = await createCustomer(ctx, { email: "c@example.com", name: "C", currency: "EUR", paymentMethod: token });
    const subscription = await createSubscription(ctx, { customerId: customer.id, planName: "Pro", amount: 2900, currency: "eur", interval: "month" });
    const renewal = await renewSubscription(ctx, subscription.id);
    expect(renewal.charge).toMatchObject({ status: expected.status, decline_code: expected.declineCode, failure_code: expected.failureCode, initiated_by: "provider" });
    expect(renewal.invoice).toMatchObject({ amount_due: 2900, currency: "eur", attempt_count: 1, status: expected.status === "succeeded" ? "paid" : "open" });
    expect(renewal.subscription.status).toBe(expected.status === "succeeded" ? "active" : "past_due");

    if (expected.status === "succeeded") return;
    const provider = createSandboxProvider(ctx);
    const outcome = await provider.retryInvoicePayment({ invoiceExternalId: renewal.invoice!.id, idempotencyKey: `retry-${token}` });
    const card = testCards.find((c) => c.token === token)!;
    expect(outcome.status).toBe(expected.status);
    expect(outcome.attempt).toMatchObject({ ...expected, cardBrand: card.brand, initiatedBy: "dunwell", amount: 2900, currency: "eur", invoiceExternalId: renewal.invoice!.id });
    expect(outcome.invoice).toMatchObject({ status: "open", attemptCount: 2, amountRemaining: 2900 });
    if (expected.status === "requires_action") expect(outcome.action).toEqual({ kind: "sandbox_form", reference: outcome.attempt!.externalId });
    else expect(outcome.action).toBeUndefined();
  });

  it("gives each customer's copy of a card its own fingerprint, stable for that customer", async () => {
    const ctx = await makeSandboxContext();
    const provider = createSandboxProvider(ctx);
    const a = await createCustomer(ctx, { email: "a@example.com", name: "A", currency: "usd", paymentMethod: "tok_visa" });
    const b = await createCustomer(ctx, { email: "b@example.com", name: "B", currency: "usd", paymentMethod: "tok_visa" });
    await attachPaymentMethod(ctx, a.id, "tok_visa");
    const [a1, a2] = await provider.listPaymentMethods(a.id);
    const [b1] = await provider.listPaymentMethods(b.id);
    expect(a1!.fingerprint).toBe(a2!.fingerprint);
    expect(b1!.fingerprint).not.toBe(a1!.fingerprint);
    expect([a1!.isDefault, a2!.isDefault]).toEqual([true, false]);
  });
});
