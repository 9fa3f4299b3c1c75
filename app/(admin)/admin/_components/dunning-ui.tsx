import type { CaseStatus, StepStatus } from "@/drizzle/schema";
import { Badge, type BadgeVariant } from "@/components/ui";
import type { SegmentField, SegmentOp } from "@/lib/dunning/segments";
import { declineCategories, type DeclineCategory, type FinalAction, type StepKind } from "@/lib/dunning/types";

/** Labels and badges shared by the dunning admin pages (cases, policies, segments). */

export const caseStatuses = ["open", "paused", "recovered", "exhausted", "written_off", "canceled"] as const satisfies readonly CaseStatus[];
const caseVariants: Record<CaseStatus, BadgeVariant> = { open: "warning", paused: "primary", recovered: "success", exhausted: "danger", written_off: "neutral", canceled: "neutral" };
const caseLabels: Record<CaseStatus, string> = { open: "Open", paused: "Paused", recovered: "Recovered", exhausted: "Exhausted", written_off: "Written off", canceled: "Canceled" };

export const caseStatusLabel = (status: CaseStatus) => caseLabels[status];
export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  return <Badge variant={caseVariants[status]}>{caseLabels[status]}</Badge>;
}

const categoryLabels: Record<DeclineCategory, string> = {
  hard: "Hard decline",
  card_update_needed: "Card update needed",
  insufficient_funds: "Insufficient funds",
  soft: "Soft decline",
  authentication_required: "Authentication required",
  processing_error: "Processing error",
};

export { declineCategories };
export const isDeclineCategory = (value: string | null | undefined): value is DeclineCategory => (declineCategories as readonly string[]).includes(value ?? "");
export const categoryLabel = (category: string | null | undefined) => (isDeclineCategory(category) ? categoryLabels[category] : category || "—");

export const stepKindLabels: Record<StepKind, string> = { retry: "Retry", message: "Message", final_action: "Final action", task: "Task", installment: "Installment" };

const stepVariants: Record<StepStatus, BadgeVariant> = { pending: "primary", running: "primary", done: "success", failed: "danger", skipped: "neutral", canceled: "neutral" };
const stepLabels: Record<StepStatus, string> = { pending: "Planned", running: "Running", done: "Done", failed: "Failed", skipped: "Skipped", canceled: "Canceled" };
export function StepStatusBadge({ status }: { status: StepStatus }) {
  return <Badge variant={stepVariants[status]}>{stepLabels[status]}</Badge>;
}

export const finalActionLabels: Record<FinalAction, string> = {
  cancel_now: "Cancel now",
  cancel_at_period_end: "Cancel at period end",
  pause: "Pause subscription",
  mark_uncollectible: "Mark uncollectible",
  leave_past_due: "Leave past due",
  collections_task: "Collections task",
};
export const finalActionLabel = (action: string | null | undefined) => finalActionLabels[action as FinalAction] ?? action ?? "—";

/** "payment_failed" → "Payment failed". */
export const humanize = (value: string | null | undefined) => (value ? value.charAt(0).toUpperCase() + value.slice(1).replaceAll("_", " ") : "—");

export const segmentFieldLabels: Record<SegmentField, string> = {
  mrr_minor: "MRR (minor units)",
  tenure_days: "Tenure (days)",
  lifetime_value_minor: "Lifetime paid (minor units)",
  past_failures: "Past failed payments",
  plan: "Plan name",
  country: "Country",
  currency: "Currency",
  decline_category: "Decline category",
};

export const segmentOpLabels: Record<SegmentOp, string> = { eq: "is", neq: "is not", gt: "more than", gte: "at least", lt: "less than", lte: "at most", in: "is one of", not_in: "is none of" };

/** Days and hours from hours: 30 → "day 1, 6 h". */
export function offsetLabel(hours: number): string {
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return rest ? `day ${days}, ${rest} h` : `day ${days}`;
}
