/**
 * Shared vocabulary of the dunning engine (issue: "Dunning engine"). The classifier, the
 * card-network guard, the policy format, the planner and the engine all speak it.
 */

/** What a failure means for retrying (lib/dunning/classify.ts decides it). */
export const declineCategories = ["hard", "card_update_needed", "insufficient_funds", "soft", "authentication_required", "processing_error"] as const;
export type DeclineCategory = (typeof declineCategories)[number];

export type CardNetwork = "visa" | "mastercard" | "amex" | "discover" | "other";

/** A failed (or successful) attempt as the classifier and the network guard see it. */
export type AttemptFacts = {
  at: Date;
  status: "succeeded" | "failed" | "requires_action" | "pending";
  provider: "stripe" | "chargebee" | "sandbox";
  declineCode: string | null;
  failureCode: string | null;
  adviceCode: string | null;
  networkAdviceCode: string | null;
  networkDeclineCode: string | null;
  cardBrand: string | null;
  cardFingerprint: string | null;
};

export type Classification = {
  category: DeclineCategory;
  /** Whether a merchant-initiated retry of this same card is allowed at all. */
  retryable: boolean;
  /** A cap on further retries for this failure (unknown codes: a conservative cap). */
  maxRetries: number | null;
  /** Which table row decided it, for the case timeline ("stripe:insufficient_funds"). */
  rule: string;
};

/** The kinds of planned steps a case holds. */
export type StepKind = "retry" | "message" | "final_action" | "task" | "installment";
export type MessageChannel = "email" | "sms";
export type Tone = "friendly" | "neutral" | "firm" | "final";
export type FinalAction = "cancel_now" | "cancel_at_period_end" | "pause" | "mark_uncollectible" | "leave_past_due" | "collections_task";

/**
 * Message templates a case can send (added with the policy format). The first five can be
 * scheduled by a policy; the others are sent when their event happens.
 */
export const messageTemplates = [
  "payment_failed",
  "reminder",
  "final_notice",
  "action_required",
  "card_expiring",
  "payment_recovered",
  "installment_confirmed",
  "installment_upcoming",
  "installment_failed",
  "promise_confirmed",
  "help_received",
] as const;
export type MessageTemplate = (typeof messageTemplates)[number];
