import { createHash } from "node:crypto";
import { ProviderError } from "../errors";

/**
 * The sandbox's test payment methods, named by token as in Stripe test mode (tok_visa, …).
 * There are no card numbers here or anywhere in Dunwell: a test card is a token with the
 * brand, last four and expiry a real token would reveal, and a scripted behaviour.
 */

export type Decline = {
  failureCode: string;
  declineCode: string | null;
  message: string;
  adviceCode: "do_not_try_again" | "try_again_later" | "confirm_card_data" | null;
  networkAdviceCode: string | null;
  networkDeclineCode: string | null;
};

export type CardBehaviour = { kind: "succeed" } | { kind: "decline"; decline: Decline } | { kind: "authenticate" };

export type TestCard = {
  token: string;
  brand: "visa" | "mastercard";
  last4: string;
  expMonth: number;
  expYear: number;
  /** The card's fingerprint; each customer's copy gets its own (see fingerprintFor). */
  fingerprint: string;
  label: string;
  /** What happens when it is charged, for the portal's sandbox form. */
  description: string;
  behaviour: CardBehaviour;
};

const fp = (token: string) => createHash("sha256").update(`sandbox-card:${token}`).digest("hex").slice(0, 16);

const declined = (d: Partial<Decline> & Pick<Decline, "declineCode" | "message">): CardBehaviour => ({
  kind: "decline",
  decline: { failureCode: "card_declined", adviceCode: null, networkAdviceCode: null, networkDeclineCode: null, ...d },
});

export const insufficientFunds: Decline = {
  failureCode: "card_declined",
  declineCode: "insufficient_funds",
  message: "Your card has insufficient funds.",
  adviceCode: "try_again_later",
  networkAdviceCode: null,
  networkDeclineCode: "51",
};

const card = (c: Omit<TestCard, "fingerprint" | "expMonth" | "expYear"> & Partial<Pick<TestCard, "expMonth" | "expYear">>): TestCard => ({
  expMonth: 12,
  expYear: 2034,
  fingerprint: fp(c.token),
  ...c,
});

export const testCards: readonly TestCard[] = [
  card({ token: "tok_visa", brand: "visa", last4: "4242", label: "Visa — succeeds", description: "Every charge succeeds.", behaviour: { kind: "succeed" } }),
  card({ token: "tok_mastercard", brand: "mastercard", last4: "4444", label: "Mastercard — succeeds", description: "Every charge succeeds.", behaviour: { kind: "succeed" } }),
  card({
    token: "tok_insufficient_funds",
    brand: "visa",
    last4: "9995",
    label: "Insufficient funds",
    description: "Declined: insufficient_funds. A later retry may succeed.",
    behaviour: { kind: "decline", decline: insufficientFunds },
  }),
  card({
    token: "tok_generic_decline",
    brand: "visa",
    last4: "0002",
    label: "Generic decline",
    description: "Declined by the issuer without a reason (generic_decline).",
    behaviour: declined({ declineCode: "generic_decline", message: "Your card was declined.", networkDeclineCode: "05" }),
  }),
  card({
    token: "tok_expired_card",
    brand: "visa",
    last4: "0069",
    expMonth: 3,
    expYear: 2024,
    label: "Expired card",
    description: "Declined: expired_card. Needs a new card.",
    behaviour: declined({ failureCode: "expired_card", declineCode: "expired_card", message: "Your card has expired.", adviceCode: "confirm_card_data", networkDeclineCode: "54" }),
  }),
  card({
    token: "tok_lost_card",
    brand: "visa",
    last4: "9987",
    label: "Lost card",
    description: "Declined: lost_card. Never retry; ask for another card.",
    behaviour: declined({ declineCode: "lost_card", message: "Your card was declined.", adviceCode: "do_not_try_again", networkDeclineCode: "41" }),
  }),
  card({
    token: "tok_do_not_honor",
    brand: "visa",
    last4: "0036",
    label: "Do not honor",
    description: "Declined: do_not_honor. The issuer gives no reason.",
    behaviour: declined({ declineCode: "do_not_honor", message: "Your card was declined.", networkDeclineCode: "05" }),
  }),
  card({
    token: "tok_processing_error",
    brand: "visa",
    last4: "0119",
    label: "Processing error",
    description: "Fails with processing_error (issuer unavailable). Retry soon.",
    behaviour: {
      kind: "decline",
      decline: {
        failureCode: "processing_error",
        declineCode: null,
        message: "An error occurred while processing your card. Try again in a little bit.",
        adviceCode: "try_again_later",
        networkAdviceCode: null,
        networkDeclineCode: "96",
      },
    },
  }),
  card({
    token: "tok_authentication_required",
    brand: "visa",
    last4: "3184",
    label: "3-D Secure required",
    description: "Every charge needs the customer to authenticate (3-D Secure); succeeds once they do.",
    behaviour: { kind: "authenticate" },
  }),
  card({
    token: "tok_mc_do_not_retry",
    brand: "mastercard",
    last4: "0033",
    label: "Mastercard — do not retry",
    description: "Declined with Mastercard merchant advice code 03: never retry this card.",
    behaviour: declined({ declineCode: "do_not_honor", message: "Your card was declined.", adviceCode: "do_not_try_again", networkAdviceCode: "03", networkDeclineCode: "05" }),
  }),
];

export function findTestCard(token: string): TestCard {
  const found = testCards.find((c) => c.token === token);
  if (!found) throw new ProviderError(`No such token: '${token}'. Use one of ${testCards.map((c) => c.token).join(", ")}.`, "sandbox", 400, false, null, "token_invalid");
  return found;
}

/**
 * Each customer's card is its own card: the fingerprint combines the test card and the
 * customer, so network caps (counted per card) never add up attempts across customers,
 * while the same card attached twice to one customer keeps its fingerprint.
 */
export function fingerprintFor(card: TestCard, customerId: string): string {
  return createHash("sha256").update(`${card.fingerprint}:${customerId}`).digest("hex").slice(0, 16);
}

export type ChargeDecision = { status: "succeeded" } | { status: "requires_action" } | { status: "failed"; decline: Decline };

/**
 * What the issuer says to a charge now. A card with `declineUntil` declines with
 * insufficient_funds before that time (payday) and behaves as its token after; a 3-D Secure
 * card asks for authentication unless this charge follows one.
 */
export function decideCharge(card: TestCard, options: { now: Date; declineUntil: string | null; authenticated: boolean }): ChargeDecision {
  if (options.declineUntil && options.now < new Date(options.declineUntil)) return { status: "failed", decline: insufficientFunds };
  switch (card.behaviour.kind) {
    case "succeed":
      return { status: "succeeded" };
    case "authenticate":
      return options.authenticated ? { status: "succeeded" } : { status: "requires_action" };
    case "decline":
      return { status: "failed", decline: card.behaviour.decline };
  }
}

/** A charge with nothing to charge: Stripe's invoice payment fails without a charge at the issuer. */
export const missingPaymentMethod: Decline = {
  failureCode: "missing_payment_method",
  declineCode: null,
  message: "The customer has no payment method on file.",
  adviceCode: null,
  networkAdviceCode: null,
  networkDeclineCode: null,
};
