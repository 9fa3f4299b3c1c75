import type { RetryOwner } from "@/lib/billing/types";
import type { Policy } from "./policy";
import type { LearnedStats } from "./priors";
import { planRetries } from "./retries";
import { HOUR_MS, describeLocal, moveIntoLocalHours, resolveTimeZone, type GuardVerdict, type LocalHours } from "./slots";
import type { AttemptFacts, DeclineCategory, FinalAction, MessageChannel, MessageTemplate, StepKind, Tone } from "./types";

export { emptyStats, statsFromRows, type DayBucket, type LearnedStats, type SlotStats, type SlotStatsRow } from "./priors";
export { bucketOf } from "./slots";

/**
 * The case planner: from a policy and what has happened so far, the steps a case should
 * still take and when. Pure: the same input gives the same plan; `now` is an input.
 * The engine stores the plan as rows keyed by `key` and re-plans after every outcome, so a
 * re-plan replaces the pending steps that share a key and drops those no longer planned.
 */

/** The card-network guard, bound by the engine to the case's card and attempt history. */
export type NetworkGuard = (attemptTime: Date, paymentMethodId: string) => GuardVerdict;

/** An attempt made while the case was open (retries, the provider's, the customer's pay-now). */
export type PlannerAttempt = {
  at: Date;
  status: AttemptFacts["status"];
  category: DeclineCategory | null;
  paymentMethodId: string | null;
};

export type PlannerPaymentMethod = {
  id: string;
  isDefault: boolean;
  usable: boolean;
  /** When the customer added it; a usable method added after the last failure is a new card. */
  addedAt?: Date | null;
};

export type PlannerInput = {
  policy: Policy;
  caseOpenedAt: Date;
  now: Date;
  customer: { timezone: string | null; defaultTimezone: string };
  history: {
    /**
     * Attempts on the case's invoice. Those after caseOpenedAt are retries and count toward
     * maxAttempts; the failure that opened the case (at caseOpenedAt, or before) does not.
     */
    attempts: readonly PlannerAttempt[];
    stepsDone: readonly { kind: StepKind; key: string }[];
  };
  /** The category of the latest failure (a no-retry category on the latest failed attempt in history also stops retries). */
  lastCategory: DeclineCategory;
  paymentMethods: readonly PlannerPaymentMethod[];
  retryOwner: RetryOwner;
  providerNextAttemptAt: Date | null;
  stats: LearnedStats;
  networkGuard: NetworkGuard;
};

export type PlannedStepKind = Exclude<StepKind, "installment">;

export type PlannedStep = {
  kind: PlannedStepKind;
  dueAt: Date;
  /** Deterministic: "retry:3", "message:1:reminder", "message:action_required:2", "final". */
  key: string;
  paymentMethodId?: string;
  template?: MessageTemplate;
  channel?: MessageChannel;
  tone?: Tone;
  finalAction?: FinalAction;
  /** Why this step at this time, for the case timeline. */
  reason: string;
};

/** What the planner derives once from the input. */
export type PlanContext = {
  input: PlannerInput;
  timeZone: string;
  openedAt: Date;
  windowEnd: Date;
  /** When the final action is due (policy offset or window end); retries stop before it. */
  finalAt: Date;
  /** Attempts in time order. */
  attempts: readonly PlannerAttempt[];
  /** The latest failure (the case's opening failure when no attempt failed since). */
  lastFailure: { at: Date; paymentMethodId: string | null };
  /** lastCategory, or authentication_required when the latest attempt awaits the customer. */
  category: DeclineCategory;
  /** The category recorded on the latest failed attempt in history, if any. */
  latestFailureCategory: DeclineCategory | null;
  done: ReadonlySet<string>;
};

/** Messages are planned between 08:00 and 21:00 local; the send-time quiet-hours rule is elsewhere. */
export const MESSAGE_HOURS: LocalHours = { start: 8, end: 21 };

const kindOrder: Record<PlannedStepKind, number> = { retry: 0, message: 1, task: 2, final_action: 3 };
const maxTime = (...dates: Date[]) => new Date(Math.max(...dates.map((d) => d.getTime())));
const minTime = (...dates: Date[]) => new Date(Math.min(...dates.map((d) => d.getTime())));

function buildContext(input: PlannerInput): PlanContext {
  const openedAt = input.caseOpenedAt;
  const windowHours = input.policy.windowDays * 24;
  const windowEnd = new Date(openedAt.getTime() + windowHours * HOUR_MS);
  const finalOffset = input.policy.finalAction.offsetHours ?? windowHours;
  const finalAt = minTime(windowEnd, new Date(openedAt.getTime() + Math.max(0, finalOffset) * HOUR_MS));
  const attempts = input.history.attempts.map((a, i) => ({ a, i })).sort((x, y) => x.a.at.getTime() - y.a.at.getTime() || x.i - y.i).map(({ a }) => a);
  const failed = attempts.filter((a) => a.status === "failed" || a.status === "requires_action").at(-1);
  const latest = attempts.at(-1);
  return {
    input,
    timeZone: resolveTimeZone(input.customer.timezone, input.customer.defaultTimezone),
    openedAt,
    windowEnd,
    finalAt,
    attempts,
    lastFailure: failed ? { at: failed.at, paymentMethodId: failed.paymentMethodId } : { at: openedAt, paymentMethodId: null },
    category: latest?.status === "requires_action" ? "authentication_required" : input.lastCategory,
    latestFailureCategory: failed?.category ?? null,
    done: new Set(input.history.stepsDone.map((s) => s.key)),
  };
}

function messageStep(
  ctx: PlanContext,
  due: Date,
  bounds: { notBefore: Date; notAfter: Date },
  step: Omit<PlannedStep, "kind" | "dueAt" | "reason">,
  reason: string,
): PlannedStep | null {
  if (ctx.done.has(step.key)) return null;
  const at = moveIntoLocalHours(maxTime(due, bounds.notBefore), ctx.timeZone, MESSAGE_HOURS, bounds);
  if (!at) return null;
  const notes = [reason];
  if (due.getTime() < bounds.notBefore.getTime()) notes.push("overdue, so as soon as possible");
  if (at.getTime() !== maxTime(due, bounds.notBefore).getTime()) notes.push(`moved out of the night to ${describeLocal(at, ctx.timeZone)}`);
  return { kind: "message", dueAt: at, ...step, reason: notes.join("; ") };
}

function planMessages(ctx: PlanContext): PlannedStep[] {
  const { input } = ctx;
  const bounds = { notBefore: maxTime(input.now, ctx.openedAt), notAfter: ctx.windowEnd };
  const steps: (PlannedStep | null)[] = [];
  const count = input.policy.messages.length;
  input.policy.messages.forEach((m, i) => {
    const due = new Date(ctx.openedAt.getTime() + m.offsetHours * HOUR_MS);
    const reason = `message ${i + 1} of ${count} in policy "${input.policy.name}": ${m.template} (${m.tone}) by ${m.channel}, ${m.offsetHours} h after the case opened`;
    steps.push(messageStep(ctx, due, bounds, { key: `message:${i}:${m.template}`, template: m.template, channel: m.channel, tone: m.tone }, reason));
  });

  if (ctx.category === "authentication_required") {
    // Never retried off-session: the customer has to approve the payment themselves.
    const key = `message:action_required:${ctx.attempts.length}`;
    const reason = "the bank asks the customer to authenticate this payment; it cannot be retried off-session";
    steps.push(messageStep(ctx, ctx.lastFailure.at, bounds, { key, template: "action_required", channel: "email", tone: "neutral" }, reason));
  }

  const providerAt = input.providerNextAttemptAt;
  if (input.retryOwner === "provider" && providerAt && providerAt > input.now && providerAt <= ctx.windowEnd) {
    // A day's notice before the provider's own retry, so the customer can make sure it succeeds.
    const reminderBounds = { notBefore: bounds.notBefore, notAfter: new Date(providerAt.getTime() - HOUR_MS) };
    const key = `message:provider_retry:${providerAt.toISOString()}`;
    const reason = `the billing provider retries on ${describeLocal(providerAt, ctx.timeZone)}; remind the customer the day before`;
    const due = new Date(providerAt.getTime() - 24 * HOUR_MS);
    steps.push(messageStep(ctx, due, reminderBounds, { key, template: "reminder", channel: "email", tone: "neutral" }, reason));
  }
  return steps.filter((s): s is PlannedStep => s !== null);
}

function planFinalAction(ctx: PlanContext): PlannedStep[] {
  if (ctx.done.has("final")) return [];
  const { finalAction } = ctx.input.policy;
  const dueAt = minTime(maxTime(ctx.finalAt, ctx.input.now), ctx.windowEnd);
  const when = finalAction.offsetHours === undefined ? "at the end of the window" : `${finalAction.offsetHours} h after the case opened`;
  return [{ kind: "final_action", dueAt, key: "final", finalAction: finalAction.action, reason: `policy final action ${finalAction.action}, ${when}` }];
}

export function planCase(input: PlannerInput): PlannedStep[] {
  const ctx = buildContext(input);
  // A paid invoice or a case that already took its final action has nothing left to do.
  if (ctx.attempts.at(-1)?.status === "succeeded" || ctx.done.has("final")) return [];
  const steps = [...planRetries(ctx), ...planMessages(ctx), ...planFinalAction(ctx)];
  return steps.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || kindOrder[a.kind] - kindOrder[b.kind] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
