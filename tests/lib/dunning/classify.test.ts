import { describe, expect, it } from "vitest";
import { classifyAttempt, networkRetryAfterHours, networkStopRule } from "@/lib/dunning/classify";
import { declineCodeTable, normalizeCode } from "@/lib/dunning/decline-codes";
import { declineCategories, type AttemptFacts, type DeclineCategory } from "@/lib/dunning/types";

function failed(f: Partial<AttemptFacts> = {}): AttemptFacts {
  return {
    at: new Date("2026-03-02T10:00:00Z"),
    status: "failed",
    provider: "stripe",
    declineCode: null,
    failureCode: null,
    adviceCode: null,
    networkAdviceCode: null,
    networkDeclineCode: null,
    cardBrand: "visa",
    cardFingerprint: "fp_1",
    ...f,
  };
}

type Case = [name: string, facts: Partial<AttemptFacts>, category: DeclineCategory, rule: string];

describe("classifyAttempt: one row per category", () => {
  const cases: Case[] = [
    ["stolen card", { declineCode: "stolen_card", failureCode: "card_declined" }, "hard", "stripe:stolen_card"],
    ["lost card", { declineCode: "lost_card" }, "hard", "stripe:lost_card"],
    ["pickup card", { declineCode: "pickup_card" }, "hard", "stripe:pickup_card"],
    ["fraudulent", { declineCode: "fraudulent" }, "hard", "stripe:fraudulent"],
    ["restricted card", { declineCode: "restricted_card" }, "hard", "stripe:restricted_card"],
    ["security violation", { declineCode: "security_violation" }, "hard", "stripe:security_violation"],
    ["revoked authorization", { declineCode: "revocation_of_authorization" }, "hard", "stripe:revocation_of_authorization"],
    ["stop payment order", { declineCode: "stop_payment_order" }, "hard", "stripe:stop_payment_order"],
    ["expired card", { declineCode: "expired_card" }, "card_update_needed", "stripe:expired_card"],
    ["incorrect number", { declineCode: "incorrect_number" }, "card_update_needed", "stripe:incorrect_number"],
    ["invalid expiry year", { failureCode: "invalid_expiry_year" }, "card_update_needed", "stripe:invalid_expiry_year"],
    ["incorrect cvc", { declineCode: "incorrect_cvc" }, "card_update_needed", "stripe:incorrect_cvc"],
    ["card not supported", { declineCode: "card_not_supported" }, "card_update_needed", "stripe:card_not_supported"],
    ["insufficient funds", { declineCode: "insufficient_funds" }, "insufficient_funds", "stripe:insufficient_funds"],
    ["velocity exceeded", { declineCode: "card_velocity_exceeded" }, "insufficient_funds", "stripe:card_velocity_exceeded"],
    ["withdrawal count", { declineCode: "withdrawal_count_limit_exceeded" }, "insufficient_funds", "stripe:withdrawal_count_limit_exceeded"],
    ["generic decline", { declineCode: "generic_decline", failureCode: "card_declined" }, "soft", "stripe:generic_decline"],
    ["do not honor (Visa category 4)", { declineCode: "do_not_honor" }, "soft", "stripe:do_not_honor"],
    ["issuer not available", { declineCode: "issuer_not_available" }, "soft", "stripe:issuer_not_available"],
    ["reenter transaction", { declineCode: "reenter_transaction" }, "soft", "stripe:reenter_transaction"],
    ["authentication required", { declineCode: "authentication_required" }, "authentication_required", "stripe:authentication_required"],
    ["invoice needs action", { failureCode: "invoice_payment_intent_requires_action" }, "authentication_required", "stripe:invoice_payment_intent_requires_action"],
    ["requires_action status", { status: "requires_action" }, "authentication_required", "status:requires_action"],
    ["processing error", { failureCode: "processing_error" }, "processing_error", "stripe:processing_error"],
    ["rate limit", { failureCode: "rate_limit" }, "processing_error", "stripe:rate_limit"],
  ];
  it.each(cases)("%s", (_name, facts, category, rule) => {
    const c = classifyAttempt(failed(facts));
    expect(c).toMatchObject({ category, rule });
    expect(c.retryable).toBe(!["hard", "card_update_needed", "authentication_required"].includes(category));
  });

  it("never lets a non-retryable outcome carry retries", () => {
    for (const code of ["stolen_card", "expired_card", "authentication_required"]) {
      expect(classifyAttempt(failed({ declineCode: code }))).toMatchObject({ retryable: false, maxRetries: 0 });
    }
  });

  it("caps ambiguous codes that need the customer to call the bank", () => {
    expect(classifyAttempt(failed({ declineCode: "call_issuer" }))).toMatchObject({ category: "soft", maxRetries: 2 });
    expect(classifyAttempt(failed({ declineCode: "generic_decline" })).maxRetries).toBeNull();
  });
});

describe("classifyAttempt: precedence", () => {
  const cases: Case[] = [
    ["do_not_try_again advice beats insufficient_funds", { declineCode: "insufficient_funds", adviceCode: "do_not_try_again" }, "hard", "advice:do_not_try_again"],
    ["MAC 03 beats insufficient_funds", { cardBrand: "mastercard", declineCode: "insufficient_funds", networkAdviceCode: "03" }, "hard", "mastercard:mac:03"],
    ["MAC 21 beats generic_decline", { cardBrand: "mastercard", declineCode: "generic_decline", networkAdviceCode: "21" }, "hard", "mastercard:mac:21"],
    ["Visa category 1 beats generic_decline", { declineCode: "generic_decline", networkDeclineCode: "41" }, "hard", "visa:cat1:41"],
    ["Visa R1 beats insufficient_funds", { declineCode: "insufficient_funds", networkDeclineCode: "R1" }, "hard", "visa:cat1:R1"],
    ["Visa category 1 beats an unknown code", { declineCode: "brand_new_code", networkDeclineCode: "46" }, "hard", "visa:cat1:46"],
    ["never-retry beats requires_action", { status: "requires_action", networkAdviceCode: "03", cardBrand: "mastercard" }, "hard", "mastercard:mac:03"],
    ["Visa category-1 digits mean nothing on a Mastercard", { cardBrand: "mastercard", declineCode: "generic_decline", networkDeclineCode: "57" }, "soft", "stripe:generic_decline"],
    ["unknown brand gets the Visa rules", { cardBrand: null, declineCode: "generic_decline", networkDeclineCode: "43" }, "hard", "visa:cat1:43"],
    ["confirm_card_data turns a soft decline into card_update_needed", { declineCode: "generic_decline", adviceCode: "confirm_card_data" }, "card_update_needed", "advice:confirm_card_data"],
    ["confirm_card_data does not loosen stolen_card", { declineCode: "stolen_card", adviceCode: "confirm_card_data" }, "hard", "stripe:stolen_card"],
    ["MAC 01 turns insufficient_funds into card_update_needed", { cardBrand: "mastercard", declineCode: "insufficient_funds", networkAdviceCode: "01" }, "card_update_needed", "mastercard:mac:01"],
    ["Visa category 3 turns a soft decline into card_update_needed", { declineCode: "do_not_honor", networkDeclineCode: "N7" }, "card_update_needed", "visa:cat3:N7"],
    ["the decline code beats the failure code", { declineCode: "insufficient_funds", failureCode: "card_declined" }, "insufficient_funds", "stripe:insufficient_funds"],
    ["the failure code decides when there is no decline code", { failureCode: "expired_card" }, "card_update_needed", "stripe:expired_card"],
    ["a network hint beats a catch-all failure code", { failureCode: "card_declined", networkDeclineCode: "51" }, "insufficient_funds", "visa:code:51"],
    ["a hint never beats a specific decline code", { declineCode: "expired_card", networkDeclineCode: "51", adviceCode: "try_again_later" }, "card_update_needed", "stripe:expired_card"],
    ["try_again_later alone is soft", { adviceCode: "try_again_later" }, "soft", "advice:try_again_later"],
    ["MAC 02 beside a catch-all code is soft", { cardBrand: "mastercard", failureCode: "card_declined", networkAdviceCode: "02" }, "soft", "mastercard:mac:02"],
  ];
  it.each(cases)("%s", (_name, facts, category, rule) => {
    expect(classifyAttempt(failed(facts))).toMatchObject({ category, rule });
  });
});

describe("classifyAttempt: unknown codes", () => {
  it("makes an unknown decline code soft with a cap of 2, even beside card_declined", () => {
    expect(classifyAttempt(failed({ declineCode: "brand_new_code", failureCode: "card_declined" }))).toEqual({ category: "soft", retryable: true, maxRetries: 2, rule: "unknown:brand_new_code" });
  });

  it("names an unknown failure code when no decline code came", () => {
    expect(classifyAttempt(failed({ failureCode: "2001", provider: "chargebee" }))).toMatchObject({ category: "soft", maxRetries: 2, rule: "unknown:2001" });
  });

  it("treats a failure with no code at all as unknown", () => {
    expect(classifyAttempt(failed())).toMatchObject({ category: "soft", maxRetries: 2, rule: "unknown:none" });
  });

  it("ignores advice it does not know", () => {
    expect(classifyAttempt(failed({ declineCode: "insufficient_funds", adviceCode: "mystery", networkAdviceCode: "99" }))).toMatchObject({ rule: "stripe:insufficient_funds" });
  });
});

describe("classifyAttempt: Chargebee", () => {
  const chargebee = (f: Partial<AttemptFacts>) => failed({ provider: "chargebee", ...f });
  const cases: Case[] = [
    // tests/fixtures/chargebee/transaction-failed.json as the adapter maps it
    ["Stripe gateway decline with error_detail", { cardBrand: "mastercard", declineCode: "insufficient_funds", failureCode: "card_declined", adviceCode: "try_again_later", networkAdviceCode: "02", networkDeclineCode: "51" }, "insufficient_funds", "stripe:insufficient_funds"],
    ["payment_processing_failed without details", { failureCode: "payment_processing_failed" }, "soft", "chargebee:payment_processing_failed"],
    ["payment_processing_failed with a decline code", { failureCode: "payment_processing_failed", declineCode: "lost_card" }, "hard", "stripe:lost_card"],
    ["error_code used as the decline code", { declineCode: "card_declined", failureCode: "card_declined" }, "soft", "stripe:card_declined"],
    ["no payment method on file", { failureCode: "payment_method_not_present" }, "card_update_needed", "chargebee:payment_method_not_present"],
    ["verification failed", { failureCode: "payment_method_verification_failed" }, "card_update_needed", "chargebee:payment_method_verification_failed"],
    ["numeric recommendation 03", { failureCode: "payment_processing_failed", adviceCode: "03" }, "hard", "advice:03"],
    ["Chargebee brand spelling", { cardBrand: "american_express", networkDeclineCode: "41", declineCode: "generic_decline" }, "soft", "stripe:generic_decline"],
  ];
  it.each(cases)("%s", (_name, facts, category, rule) => {
    expect(classifyAttempt(chargebee(facts))).toMatchObject({ category, rule });
  });
});

describe("classifyAttempt: case and format", () => {
  const cases: Case[] = [
    ["upper-case decline code", { declineCode: "INSUFFICIENT_FUNDS" }, "insufficient_funds", "stripe:insufficient_funds"],
    ["padded, mixed-case code", { declineCode: "  Stolen_Card " }, "hard", "stripe:stolen_card"],
    ["upper-case advice", { declineCode: "insufficient_funds", adviceCode: "DO_NOT_TRY_AGAIN" }, "hard", "advice:do_not_try_again"],
    ["lower-case Visa code, capitalised brand", { cardBrand: "Visa", networkDeclineCode: "r0", declineCode: "generic_decline" }, "hard", "visa:cat1:R0"],
    ["one-digit MAC, legacy brand spelling", { cardBrand: "MasterCard", networkAdviceCode: "3", declineCode: "insufficient_funds" }, "hard", "mastercard:mac:03"],
  ];
  it.each(cases)("%s", (_name, facts, category, rule) => {
    expect(classifyAttempt(failed(facts))).toMatchObject({ category, rule });
  });
});

describe("network signals for the guard", () => {
  it("names never-retry network responses and only those", () => {
    expect(networkStopRule(failed({ networkDeclineCode: "43" }))).toBe("visa:cat1:43");
    expect(networkStopRule(failed({ cardBrand: "mastercard", networkAdviceCode: "21" }))).toBe("mastercard:mac:21");
    expect(networkStopRule(failed({ declineCode: "stolen_card", adviceCode: "do_not_try_again" }))).toBeNull();
  });

  it("reads Mastercard's retry-after advice in hours", () => {
    expect(networkRetryAfterHours(failed({ cardBrand: "mastercard", networkAdviceCode: "25" }))).toBe(24);
    expect(networkRetryAfterHours(failed({ cardBrand: "mastercard", networkAdviceCode: "30" }))).toBe(240);
    expect(networkRetryAfterHours(failed({ cardBrand: "mastercard", networkAdviceCode: "02" }))).toBeNull();
  });
});

describe("the table", () => {
  it("holds each decline/failure code once, so no row is silently shadowed", () => {
    const codes = declineCodeTable.filter((g) => g.strength === "code").flatMap((g) => g.rows.map((r) => normalizeCode(r.code)));
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("cites a source for every group and a reason for every row", () => {
    for (const group of declineCodeTable) {
      expect(group.url).toMatch(/^https:\/\//);
      for (const row of group.rows) {
        expect(row.reason.length).toBeGreaterThan(10);
        expect(declineCategories).toContain(row.category);
      }
    }
  });

  it("classifies every code row as its table says", () => {
    for (const group of declineCodeTable.filter((g) => g.strength === "code")) {
      for (const row of group.rows) {
        expect(classifyAttempt(failed({ declineCode: row.code })).category, row.code).toBe(row.category);
      }
    }
  });
});
