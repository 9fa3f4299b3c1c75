import type { MessageTemplate, Tone } from "@/lib/dunning/types";

/** The decline categories the copy speaks to; the engine's finer categories map onto them. */
export const copyCategories = ["insufficient_funds", "card_update_needed", "authentication_required", "generic"] as const;
export type CopyCategory = (typeof copyCategories)[number];

/** Text that may change with the step's tone; a missing tone falls back to the template's own. */
export type Toned = string | Readonly<Partial<Record<Tone, string>>>;

/**
 * The named blocks of a message, in reading order. Operators override them by these names
 * (plus the subject); a block that resolves to empty text is left out.
 */
export const messageBlocks = ["preview", "heading", "greeting", "intro", "reason", "body", "action", "urgency", "button", "closing", "signoff"] as const;
export type MessageBlock = (typeof messageBlocks)[number];

export type TemplateCopy = {
  subject: Toned;
  /** The inbox preview line shown next to the subject. */
  preview: Toned;
  heading: Toned;
  intro: Toned;
  /** What this template adds after the intro (a reassurance, what happens next). */
  body?: Toned;
  /** The button label; templates that follow a decline use the category's label. */
  button: string;
};

export type DeclineCopy = {
  /** What happened, without blaming the customer. */
  reason: string;
  /** What to do about it; may change with tone (a first notice can say we retry). */
  action: Toned;
  button: string;
};

export type DetailLabel =
  | "amountDue"
  | "amountPaid"
  | "total"
  | "installment"
  | "invoice"
  | "plan"
  | "card"
  | "dueDate"
  | "renewalDate"
  | "nextRetry"
  | "paidOn"
  | "promiseDate";

export type LocaleCopy = {
  greeting: string;
  signoff: string;
  closing: string;
  /** The card as a noun phrase, by what we know of it ("Visa card ending in 4242"). */
  card: { full: string; lastFour: string; brand: string; none: string };
  decline: Record<CopyCategory, DeclineCopy>;
  /** The consequence and deadline sentence, by tone; empty for none. */
  urgency: Record<Tone, string>;
  labels: Record<DetailLabel, string>;
  schedule: { title: string; date: string; amount: string };
  footer: { about: string; unsubscribe: string; buttonFallback: string };
  templates: Record<MessageTemplate, TemplateCopy>;
};
