import type { PaymentAttempt } from "@/drizzle/schema";
import { classifyAttempt } from "@/lib/dunning/classify";
import { factsOf } from "@/lib/dunning/facts";
import { declineCategories, type DeclineCategory } from "@/lib/dunning/types";
import type { PortalCopy } from "./i18n";

/**
 * A failed attempt in the customer's words: the decline category Dunwell already derives
 * (insufficient funds, needs a new card, …) with a few codes a person would want named
 * (expired, lost or stolen, no card). Never the raw issuer code or message.
 */
export type ReasonKey = keyof PortalCopy["reason"];

const lostOrStolen = new Set(["lost_card", "stolen_card", "pickup_card", "restricted_card"]);

export function reasonKeyOf(attempt: Pick<PaymentAttempt, "attemptedAt" | "status" | "declineCode" | "failureCode" | "adviceCode" | "networkAdviceCode" | "networkDeclineCode" | "cardBrand" | "cardFingerprint">, provider: "stripe" | "chargebee" | "sandbox"): ReasonKey {
  const code = attempt.declineCode ?? attempt.failureCode;
  if (code === "expired_card") return "expired_card";
  if (code && lostOrStolen.has(code)) return "lost_or_stolen";
  if (attempt.failureCode === "missing_payment_method") return "no_card";
  return classifyAttempt(factsOf(attempt, provider)).category;
}

/** A category carried in a URL (the result pages), checked against the known ones. */
export function reasonKeyFromParam(value: string | undefined): ReasonKey {
  if (value && ((declineCategories as readonly string[]).includes(value) || ["expired_card", "lost_or_stolen", "no_card"].includes(value))) return value as ReasonKey;
  return "soft";
}

export const isCategory = (value: string): value is DeclineCategory => (declineCategories as readonly string[]).includes(value);
