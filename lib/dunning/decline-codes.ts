import type { DeclineCategory } from "./types";

/**
 * The decline-code table: what each code a provider or card network sends means for
 * retrying. One line per code. lib/dunning/classify.ts reads it; the admin shows it as is.
 *
 * How a row is used depends on its field and its `strength`:
 * - "override": decides the outcome whatever else the attempt says (never-retry network
 *   responses and the do_not_try_again advice).
 * - "restrict": turns a retryable outcome into card_update_needed (MAC 01, confirm_card_data,
 *   Visa category 3), never loosens a stricter one.
 * - "code": the provider's decline or failure code, the main signal.
 * - "hint": used only when no specific decline/failure code is known (Visa category 2/4
 *   response codes, MAC 02 and 24–30, try_again_later).
 *
 * Codes are matched case-insensitively; a one-digit network code matches its two-digit form.
 */

export type CodeField = "declineCode" | "failureCode" | "adviceCode" | "networkDeclineCode" | "networkAdviceCode";
export type CodeStrength = "override" | "restrict" | "code" | "hint";

export type DeclineCodeRow = {
  code: string;
  category: DeclineCategory;
  reason: string;
  /** Cap on further retries for ambiguous codes; null lets the policy decide. */
  maxRetries: number | null;
  /** A catch-all ("card_declined") that a more specific signal may replace. */
  generic: boolean;
  /** Mastercard "retry after" advice: no attempt on the card before this many hours. */
  retryAfterHours: number | null;
};

export type DeclineCodeGroup = {
  /** Prefix of the rule that names a row in the case timeline ("stripe:insufficient_funds"). */
  source: "stripe" | "chargebee" | "advice" | "visa" | "mastercard";
  field: CodeField;
  strength: CodeStrength;
  title: string;
  url: string;
  rows: readonly DeclineCodeRow[];
};

type Extra = { maxRetries?: number; generic?: boolean; retryAfterHours?: number };
function r(code: string, category: DeclineCategory, reason: string, extra: Extra = {}): DeclineCodeRow {
  return { code, category, reason, maxRetries: extra.maxRetries ?? null, generic: extra.generic ?? false, retryAfterHours: extra.retryAfterHours ?? null };
}

// Stripe decline codes (charge.outcome.reason / error.decline_code; Chargebee passes them
// through in error_detail.decline_code for its Stripe gateway).
// Source: https://docs.stripe.com/declines/codes
const stripeDeclineCodes = [
  r("authentication_required", "authentication_required", "Issuer asks for 3-D Secure; off-session retries cannot pass it"),
  r("approve_with_id", "soft", "Issuer could not authorize now; Stripe says attempt again"),
  r("call_issuer", "soft", "Unknown reason; customer must call the issuer, so retry little", { maxRetries: 2 }),
  r("card_not_supported", "card_update_needed", "Card does not support this kind of purchase; another card is needed"),
  r("card_velocity_exceeded", "insufficient_funds", "Balance, credit or amount limit reached; retry after funds return"),
  r("currency_not_supported", "card_update_needed", "Card cannot pay in this currency; another card is needed"),
  r("do_not_honor", "soft", "Issuer gives no reason (Visa 05, category 4: reattempts allowed)"),
  r("do_not_try_again", "hard", "Deprecated code for the do_not_try_again advice: never retry"),
  r("duplicate_transaction", "soft", "Identical charge submitted very recently; retry later"),
  r("expired_card", "card_update_needed", "Card expired; no retry until the card changes"),
  r("fraudulent", "hard", "Stripe suspects fraud; never retry this card"),
  r("generic_decline", "soft", "Issuer declined without a reason; retry at another time"),
  r("incorrect_cvc", "card_update_needed", "CVC wrong (Visa N7, category 3: revalidate before reattempt)"),
  r("incorrect_number", "card_update_needed", "Card number wrong; needs correct card details"),
  r("incorrect_pin", "authentication_required", "PIN wrong; card-present only, the cardholder must be there"),
  r("incorrect_zip", "card_update_needed", "Postal code check failed; needs corrected billing details"),
  r("insufficient_funds", "insufficient_funds", "Not enough funds or credit; retry near a likely payday"),
  r("invalid_account", "hard", "Card or its account is invalid or closed; never retry"),
  r("invalid_amount", "insufficient_funds", "Amount above what the card allows; retry after limits reset"),
  r("invalid_cvc", "card_update_needed", "CVC invalid; needs corrected card details"),
  r("invalid_expiry_month", "card_update_needed", "Expiry month invalid; needs corrected card details"),
  r("invalid_expiry_year", "card_update_needed", "Expiry year invalid; needs corrected card details"),
  r("invalid_number", "card_update_needed", "Card number invalid; needs correct card details"),
  r("invalid_pin", "authentication_required", "PIN invalid; card-present only, the cardholder must be there"),
  r("issuer_not_available", "soft", "Issuer could not be reached; retry soon"),
  r("lost_card", "hard", "Card reported lost; never retry"),
  r("merchant_blacklist", "hard", "Matches the merchant's own block list; never retry"),
  r("new_account_information_available", "card_update_needed", "Deprecated: issuer has new card details; update the card"),
  r("no_action_taken", "soft", "Unknown reason; customer must contact the issuer, so retry little", { maxRetries: 2 }),
  r("not_permitted", "card_update_needed", "Payment not permitted on this card; customer must act with the issuer"),
  r("offline_pin_required", "authentication_required", "Card-present PIN needed; cannot pass off-session"),
  r("online_or_offline_pin_required", "authentication_required", "Card-present PIN needed; cannot pass off-session"),
  r("pickup_card", "hard", "Issuer asks to retain the card (possibly lost or stolen); never retry"),
  r("pin_try_exceeded", "soft", "PIN tries exceeded (Visa 75, category 2); retry later", { maxRetries: 2 }),
  r("processing_error", "processing_error", "Error while processing the card; retry soon"),
  r("reenter_transaction", "soft", "Issuer could not process it; attempt again"),
  r("restricted_card", "hard", "Card cannot be used for this payment (possibly lost or stolen); never retry"),
  r("revocation_of_all_authorizations", "hard", "Cardholder revoked all recurring payments (Visa R3); never retry"),
  r("revocation_of_authorization", "hard", "Cardholder revoked this recurring payment (Visa R1); never retry"),
  r("security_violation", "hard", "Issuer reports a security violation; never retry"),
  r("service_not_allowed", "soft", "Unknown reason; customer must contact the issuer, so retry little", { maxRetries: 2 }),
  r("stolen_card", "hard", "Card reported stolen; never retry"),
  r("stop_payment_order", "hard", "Cardholder stopped this payment (Visa R0/R1); never retry"),
  r("testmode_decline", "hard", "A Stripe test card was used in live mode; never retry"),
  r("transaction_not_allowed", "card_update_needed", "Card blocked for this purchase type; customer must act with the issuer"),
  r("try_again_later", "soft", "Deprecated code for the try_again_later advice: retry later"),
  r("withdrawal_count_limit_exceeded", "insufficient_funds", "Balance or credit limit reached; retry after it resets"),
];

// Stripe error codes on charges and invoice payments (charge.failure_code / error.code) that
// the decline-code table does not already hold. Source: https://docs.stripe.com/error-codes
const stripeFailureCodes = [
  r("card_declined", "soft", "Declined; the decline code says why", { generic: true }),
  r("card_decline_rate_limit_exceeded", "soft", "Declined too often; Stripe accepts another try after 24 hours"),
  r("invoice_payment_intent_requires_action", "authentication_required", "Invoice payment needs the customer to authenticate"),
  r("payment_intent_action_required", "authentication_required", "Payment needs the customer to authenticate"),
  r("payment_intent_authentication_failure", "authentication_required", "Customer authentication failed; send them to authenticate again"),
  r("payment_intent_payment_attempt_failed", "soft", "Latest payment attempt failed", { generic: true }),
  r("payment_method_provider_decline", "soft", "Payment method provider declined", { generic: true }),
  r("missing_payment_method", "card_update_needed", "No payment method on file; ask the customer for one"),
  r("rate_limit", "processing_error", "API rate limited; retry soon"),
  r("lock_timeout", "processing_error", "Object locked by another request; retry soon"),
  r("api_error", "processing_error", "Temporary provider error; retry soon"),
  r("api_connection_error", "processing_error", "Could not reach the provider; retry soon"),
];

// Chargebee API error codes (api_error_code of a payment error; transaction.error_code).
// Source: https://apidocs.chargebee.com/docs/api/error-handling
// Decline details come in transaction.error_detail (decline_code, network_error_code,
// recommendation_code, processor_advice_code), mapped to the other fields by the adapter.
// Source: https://apidocs.chargebee.com/docs/api/v2/pcv-1/gateway_error_references
// Retryable vs needs-the-customer split: https://www.chargebee.com/docs/payments/2.0/payment-errors/payment-errors
const chargebeeCodes = [
  r("payment_processing_failed", "soft", "Gateway declined the charge; error_detail says why", { generic: true }),
  r("payment_method_verification_failed", "card_update_needed", "Card could not be verified; needs new card details"),
  r("payment_method_not_present", "card_update_needed", "No payment method on file; ask the customer for one"),
  r("payment_gateway_currency_incompatible", "processing_error", "Gateway not set up for this currency; the operator must fix it", { maxRetries: 1 }),
];

// Advice codes: Stripe charge.outcome.advice_code / error.advice_code; Chargebee
// error_detail.recommendation_code carries the same values for its Stripe gateway.
// Source: https://docs.stripe.com/declines/card#retrying-issuer-declines
const adviceOverrides = [r("do_not_try_again", "hard", "Issuer says never retry this card")];
const adviceRestricts = [r("confirm_card_data", "card_update_needed", "Customer must confirm or update card data before a retry")];
const adviceHints = [r("try_again_later", "soft", "Issuer may approve later")];
// Numeric recommendation codes some gateways send instead (Checkout.com, through Chargebee).
// Source: https://www.checkout.com/docs/previous/resources/codes/recommendation-codes
const numericAdviceOverrides = [r("03", "hard", "Gateway recommendation 03: do not try again")];
const numericAdviceRestricts = [r("01", "card_update_needed", "Gateway recommendation 01: updated information needed")];
const numericAdviceHints = [r("02", "soft", "Gateway recommendation 02: try again later")];

// Visa response codes (Stripe outcome.network_decline_code; Chargebee network_error_code),
// by Visa decline category. Sources:
// https://www.checkout.com/docs/developer-resources/codes/visa-response-codes
// https://developers.tabapay.com/docs/visa-response-code-updates (R0, 46, 57 as category 1)
// https://developer.worldpay.com/products/access/reference/response-codes/scheme-codes/
// Category 1, "issuer will never approve": no reattempt, ever.
const visaCategory1 = [
  r("04", "hard", "Visa category 1: pick up card (no fraud)"),
  r("07", "hard", "Visa category 1: pick up card, special conditions"),
  r("12", "hard", "Visa category 1: invalid transaction"),
  r("14", "hard", "Visa category 1: invalid card number"),
  r("15", "hard", "Visa category 1: no such issuer"),
  r("41", "hard", "Visa category 1: lost card, pick up"),
  r("43", "hard", "Visa category 1: stolen card, pick up"),
  r("46", "hard", "Visa category 1: closed account"),
  r("57", "hard", "Visa category 1: transaction not permitted to cardholder"),
  r("r0", "hard", "Visa category 1: stop this recurring payment"),
  r("r1", "hard", "Visa category 1: stop all recurring payments to this merchant"),
  r("r3", "hard", "Visa category 1: stop all recurring payments on this card"),
];
// Category 3, "data quality": revalidate the card details before any reattempt.
const visaCategory3 = [
  r("54", "card_update_needed", "Visa category 3: expired card"),
  r("55", "card_update_needed", "Visa category 3: incorrect PIN"),
  r("6p", "card_update_needed", "Visa category 3: verification data failed"),
  r("82", "card_update_needed", "Visa category 3: negative CVV results"),
  r("n7", "card_update_needed", "Visa category 3: CVV2 mismatch"),
];
// Category 2, "issuer cannot approve at this time", and category 4 (generic): retry later.
const visaCategory2and4 = [
  r("1a", "authentication_required", "Additional customer authentication required (SCA soft decline)"),
  r("03", "soft", "Visa category 2: invalid merchant"),
  r("05", "soft", "Visa category 4: do not honor"),
  r("19", "soft", "Visa category 2: re-enter transaction"),
  r("51", "insufficient_funds", "Visa category 2: insufficient funds"),
  r("59", "soft", "Visa category 2: suspected fraud"),
  r("61", "insufficient_funds", "Visa category 2: exceeds withdrawal amount limit"),
  r("62", "soft", "Visa category 2: restricted card"),
  r("65", "insufficient_funds", "Visa category 2: exceeds withdrawal frequency limit"),
  r("75", "soft", "Visa category 2: allowable PIN tries exceeded"),
  r("78", "soft", "Visa category 2: blocked, first use"),
  r("91", "processing_error", "Visa category 2: issuer or switch inoperative"),
  r("93", "soft", "Visa category 2: transaction cannot be completed"),
  r("96", "processing_error", "Visa category 2: system malfunction"),
  r("5c", "soft", "Visa category 2: blocked by issuer for this card range"),
  r("9g", "soft", "Visa category 2: blocked by cardholder"),
];

// Mastercard Merchant Advice Codes (Stripe outcome.network_advice_code; Chargebee
// processor_advice_code). Sources: https://docs.antom.com/ac/ams/mac,
// https://developer.paypal.com/braintree/docs/reference/general/merchant-responses/merchant-advice-codes,
// fees for retrying after 03/21: https://developers.tabapay.com/docs/merchant-advice-code
const mastercardOverrides = [
  r("03", "hard", "Mastercard MAC 03: do not try again (account closed or fraud)"),
  r("21", "hard", "Mastercard MAC 21: payment cancelled, stop recurring"),
];
const mastercardRestricts = [r("01", "card_update_needed", "Mastercard MAC 01: new account information available")];
const mastercardHints = [
  r("02", "soft", "Mastercard MAC 02: cannot approve now, try again later"),
  r("24", "soft", "Mastercard MAC 24: retry after 1 hour", { retryAfterHours: 1 }),
  r("25", "soft", "Mastercard MAC 25: retry after 24 hours", { retryAfterHours: 24 }),
  r("26", "soft", "Mastercard MAC 26: retry after 2 days", { retryAfterHours: 48 }),
  r("27", "soft", "Mastercard MAC 27: retry after 4 days", { retryAfterHours: 96 }),
  r("28", "soft", "Mastercard MAC 28: retry after 6 days", { retryAfterHours: 144 }),
  r("29", "soft", "Mastercard MAC 29: retry after 8 days", { retryAfterHours: 192 }),
  r("30", "soft", "Mastercard MAC 30: retry after 10 days", { retryAfterHours: 240 }),
];

const stripeCodesUrl = "https://docs.stripe.com/declines/codes";
const adviceUrl = "https://docs.stripe.com/declines/card#retrying-issuer-declines";
const recommendationUrl = "https://www.checkout.com/docs/previous/resources/codes/recommendation-codes";
const visaUrl = "https://www.checkout.com/docs/developer-resources/codes/visa-response-codes";
const macUrl = "https://docs.antom.com/ac/ams/mac";

/** Every group, in the order the classifier trusts them. Exported for the admin. */
export const declineCodeTable: readonly DeclineCodeGroup[] = [
  { source: "visa", field: "networkDeclineCode", strength: "override", title: "Visa category 1: issuer will never approve", url: visaUrl, rows: visaCategory1 },
  { source: "mastercard", field: "networkAdviceCode", strength: "override", title: "Mastercard MAC: never retry", url: macUrl, rows: mastercardOverrides },
  { source: "advice", field: "adviceCode", strength: "override", title: "Advice: do not try again", url: adviceUrl, rows: adviceOverrides },
  { source: "advice", field: "adviceCode", strength: "override", title: "Gateway recommendation: do not try again", url: recommendationUrl, rows: numericAdviceOverrides },
  { source: "stripe", field: "declineCode", strength: "code", title: "Stripe decline codes", url: stripeCodesUrl, rows: stripeDeclineCodes },
  { source: "stripe", field: "failureCode", strength: "code", title: "Stripe error codes", url: "https://docs.stripe.com/error-codes", rows: stripeFailureCodes },
  { source: "chargebee", field: "failureCode", strength: "code", title: "Chargebee payment error codes", url: "https://apidocs.chargebee.com/docs/api/error-handling", rows: chargebeeCodes },
  { source: "mastercard", field: "networkAdviceCode", strength: "restrict", title: "Mastercard MAC: update the card", url: macUrl, rows: mastercardRestricts },
  { source: "advice", field: "adviceCode", strength: "restrict", title: "Advice: confirm card data", url: adviceUrl, rows: adviceRestricts },
  { source: "advice", field: "adviceCode", strength: "restrict", title: "Gateway recommendation: update information", url: recommendationUrl, rows: numericAdviceRestricts },
  { source: "visa", field: "networkDeclineCode", strength: "restrict", title: "Visa category 3: revalidate payment data", url: visaUrl, rows: visaCategory3 },
  { source: "visa", field: "networkDeclineCode", strength: "hint", title: "Visa categories 2 and 4: retry later", url: visaUrl, rows: visaCategory2and4 },
  { source: "mastercard", field: "networkAdviceCode", strength: "hint", title: "Mastercard MAC: retry later", url: macUrl, rows: mastercardHints },
  { source: "advice", field: "adviceCode", strength: "hint", title: "Advice: try again later", url: adviceUrl, rows: adviceHints },
  { source: "advice", field: "adviceCode", strength: "hint", title: "Gateway recommendation: try again later", url: recommendationUrl, rows: numericAdviceHints },
];

/** Lower-case, trimmed; a one-digit network code gets its leading zero ("3" → "03"). */
export function normalizeCode(code: string | null | undefined): string | null {
  const trimmed = code?.trim().toLowerCase();
  if (!trimmed) return null;
  return /^\d$/.test(trimmed) ? `0${trimmed}` : trimmed;
}
