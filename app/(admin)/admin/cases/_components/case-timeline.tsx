import { CalendarClock, CircleDot, CreditCard, Flag, Mail, TriangleAlert, type LucideIcon } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Badge, type BadgeVariant } from "@/components/ui";
import type { AttemptStatus, CaseEvent, DunningStep, PaymentAttempt } from "@/drizzle/schema";
import { categoryOf } from "@/lib/dunning/cases";
import { formatMoney } from "@/lib/format";
import { DateTime } from "../../_components/billing-ui";
import { categoryLabel, finalActionLabel, humanize, StepStatusBadge, stepKindLabels } from "../../_components/dunning-ui";

/**
 * The case timeline: what happened (events, payment attempts, messages) and what is planned
 * (pending steps with their due time and the planner's reason), merged in time order with a
 * "now" line between them. It is an ordered list, so it reads the same without the visuals.
 */

/** Among items at the same instant: the case opens first, then attempts, events, and planned steps. */
type Item = { at: Date; rank: number; key: string; icon: LucideIcon; tone: string; title: ReactNode; detail?: ReactNode; planned?: DunningStep };

const attemptBadge: Record<AttemptStatus, [BadgeVariant, string]> = {
  succeeded: ["success", "Succeeded"],
  failed: ["danger", "Failed"],
  requires_action: ["warning", "Needs authentication"],
  pending: ["neutral", "Pending"],
};
const initiators = { provider: "the provider", dunwell: "Dunwell", customer: "the customer" } as const;

function Code({ label, value }: { label: string; value: string | null }) {
  if (!value) return null;
  return (
    <span className="whitespace-nowrap">
      <span className="text-muted">{label}</span> <span className="font-mono text-xs text-text">{value}</span>
    </span>
  );
}

function attemptItem(a: PaymentAttempt, provider: "stripe" | "chargebee" | "sandbox"): Item {
  const [variant, label] = attemptBadge[a.status];
  const failed = a.status !== "succeeded" && a.status !== "pending";
  return {
    at: a.attemptedAt,
    rank: 1,
    key: `attempt-${a.id}`,
    icon: CreditCard,
    tone: failed ? "text-danger" : a.status === "succeeded" ? "text-success" : "text-muted",
    title: (
      <>
        Payment attempt by {initiators[a.initiatedBy]} <Badge variant={variant}>{label}</Badge> <span className="tabular-nums">{formatMoney(a.amount, a.currency)}</span>
      </>
    ),
    detail: failed ? (
      <>
        <span className="flex flex-wrap gap-x-4 gap-y-0.5">
          <Code label="Decline code" value={a.declineCode ?? a.failureCode} />
          <span className="whitespace-nowrap">
            <span className="text-muted">Category</span> {categoryLabel(categoryOf(a, provider))}
          </span>
          <Code label="Advice" value={a.adviceCode} />
          <Code label="Network advice" value={a.networkAdviceCode} />
          <Code label="Network decline" value={a.networkDeclineCode} />
          {a.cardBrand ? <span className="capitalize text-muted">{a.cardBrand}</span> : null}
        </span>
        {a.failureMessage ? <span className="block text-muted">{a.failureMessage}</span> : null}
      </>
    ) : undefined,
  };
}

const messageTitles: Record<string, string> = { message_sent: "Message sent", message_skipped: "Message skipped", message_deferred: "Message deferred", message_failed: "Message failed" };

function eventItem(e: CaseEvent): Item {
  const message = e.type in messageTitles;
  const closing = ["recovered", "exhausted", "written_off", "canceled"].includes(e.type);
  const warn = ["message_skipped", "message_deferred", "retry_blocked"].includes(e.type);
  const messageId = typeof e.data.messageId === "string" ? e.data.messageId : null;
  return {
    at: e.at,
    rank: e.type === "opened" ? 0 : 2,
    key: `event-${e.id}`,
    icon: message ? Mail : closing ? Flag : CircleDot,
    tone: e.type === "message_failed" ? "text-danger" : warn ? "text-warning" : closing ? "text-text" : "text-muted",
    title: messageTitles[e.type] ?? humanize(e.type),
    detail: (
      <>
        {e.message}
        {messageId ? (
          <Link href={`/admin/outbox/${encodeURIComponent(messageId)}`} className="ml-2 text-primary underline-offset-4 hover:underline">
            View message
          </Link>
        ) : null}
      </>
    ),
  };
}

function stepDetail(s: DunningStep): ReactNode {
  if (s.kind === "message") return [humanize(s.template), s.channel, s.tone ? `${s.tone} tone` : null].filter(Boolean).join(" · ");
  if (s.kind === "final_action" || s.kind === "task") return finalActionLabel(s.finalAction);
  if (!s.paymentMethodExternalId) return "Charge the default payment method";
  return (
    <>
      Charge payment method <span className="font-mono text-xs text-muted">{s.paymentMethodExternalId}</span>
    </>
  );
}

function stepItem(s: DunningStep): Item {
  const failed = s.status === "failed";
  return {
    at: s.dueAt,
    rank: 3,
    key: `step-${s.id}`,
    icon: failed ? TriangleAlert : s.kind === "message" ? Mail : s.kind === "final_action" ? Flag : CalendarClock,
    tone: failed ? "text-danger" : "text-primary",
    title: (
      <>
        {stepKindLabels[s.kind]} <StepStatusBadge status={s.status} />
      </>
    ),
    detail: (
      <>
        <span className="block">{stepDetail(s)}</span>
        {s.reason ? <span className="block text-muted">{s.reason}</span> : null}
        {failed && s.outcome?.error ? <span className="block text-danger">{String(s.outcome.error)}</span> : null}
      </>
    ),
    planned: s.status === "pending" || s.status === "running" ? s : undefined,
  };
}

type Props = {
  events: CaseEvent[];
  attempts: PaymentAttempt[];
  steps: DunningStep[];
  provider: "stripe" | "chargebee" | "sandbox";
  now: Date;
  timeZone: string;
  /** Rendered next to each planned step (the Skip form), when the operator may act. */
  stepAction?: (step: DunningStep) => ReactNode;
};

export function CaseTimeline({ events, attempts, steps, provider, now, timeZone, stepAction }: Props) {
  // Done, skipped and canceled steps are told by their events; the plan and failures show here.
  const shownSteps = steps.filter((s) => s.status === "pending" || s.status === "running" || s.status === "failed");
  const items = [...attempts.map((a) => attemptItem(a, provider)), ...events.map(eventItem), ...shownSteps.map(stepItem)].sort((a, b) => a.at.getTime() - b.at.getTime() || a.rank - b.rank);
  const past = items.filter((i) => !i.planned && i.at <= now);
  const future = items.filter((i) => i.planned || i.at > now);

  const row = (item: Item) => {
    const Icon = item.icon;
    return (
      <li key={item.key} className="relative pb-4 pl-7 last:pb-0">
        <span aria-hidden="true" className={`absolute top-0.5 -left-[9px] flex size-[18px] items-center justify-center rounded-full border border-border bg-surface ${item.tone}`}>
          <Icon className="size-3" />
        </span>
        <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
          <p className="flex flex-wrap items-center gap-1.5 text-sm font-medium text-text">{item.title}</p>
          <span className="text-xs text-muted">
            {item.planned ? "Due " : null}
            <DateTime date={item.at} timeZone={timeZone} />
          </span>
        </div>
        {item.detail ? <div className="mt-0.5 space-y-0.5 text-sm text-text">{item.detail}</div> : null}
        {item.planned && stepAction ? <div className="mt-1.5">{stepAction(item.planned)}</div> : null}
      </li>
    );
  };

  return (
    <ol aria-label="Case timeline, oldest first" className="ml-2.5 border-l border-border">
      {past.map(row)}
      <li className="relative py-3 pl-7">
        <span aria-hidden="true" className="absolute top-1/2 -left-px h-px w-full bg-primary/40" />
        <span className="relative bg-surface pr-2 text-xs font-medium text-primary">
          Now · <DateTime date={now} timeZone={timeZone} />
          {future.length === 0 ? " · nothing planned" : ` · ${future.length} planned`}
        </span>
      </li>
      {future.map(row)}
    </ol>
  );
}
