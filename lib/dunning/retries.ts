import type { PlanContext, PlannedStep, PlannerPaymentMethod } from "./planner";
import {
  hourVarietyFactor,
  minSpacingHours,
  posteriorScore,
  priorSuccessRate,
  switchCardSpacingHours,
  urgencyFactor,
  type DayBucket,
} from "./priors";
import { HOUR_MS, describeLocal, hourlySlots, inLocalHours, localParts, moveIntoLocalHours, pickAllowedSlot, type LocalHours, type Slot } from "./slots";
import type { DeclineCategory } from "./types";

/**
 * The retry half of the planner: how many retries are left, on which payment method, and
 * when. Smart timing scores every local hour of the window; fixed timing uses the policy's
 * offsets. Either way the card-network guard has the last word on each time.
 */

type Method = { id: string; backup: boolean };

/** What the planner assumes while it lays out a sequence: each planned retry fails like the last. */
type SequenceState = {
  lastAttemptAt: number;
  lastAttemptAtByMethod: Map<string, number>;
  retriesByMethod: Map<string, number>;
  lastFailedOnDefault: boolean;
  backupsUsed: number;
  backupsTried: Set<string>;
  lastFailureHour: number;
};

const whyByCategory: Record<DeclineCategory, string> = {
  insufficient_funds: "insufficient funds: retry near a payday, in the morning",
  soft: "soft decline: retry soon, at a different hour from the last failure",
  processing_error: "processing error: retry within hours",
  hard: "hard decline",
  card_update_needed: "card needs an update",
  authentication_required: "authentication required",
};
const bucketLabel: Record<DayBucket, string> = {
  month_start: "start-of-month payday",
  mid_month: "mid-month payday",
  month_end: "end-of-month payday",
  other: "between paydays",
};

/** Never retried off-session on the card that failed (a new card lifts hard and card_update_needed). */
const neverRetried = new Set<DeclineCategory>(["hard", "card_update_needed", "authentication_required"]);

const defaultMethod = (ctx: PlanContext) => ctx.input.paymentMethods.find((m) => m.isDefault);

/** A usable method added after the latest failure (the customer updated their card). */
function findNewCard(ctx: PlanContext): PlannerPaymentMethod | undefined {
  const fresh = ctx.input.paymentMethods.filter((m) => m.usable && m.addedAt && m.addedAt.getTime() > ctx.lastFailure.at.getTime());
  return fresh.find((m) => m.isDefault) ?? fresh[0];
}

function initialState(ctx: PlanContext): SequenceState {
  const def = defaultMethod(ctx);
  const backupIds = new Set(ctx.input.paymentMethods.filter((m) => !m.isDefault).map((m) => m.id));
  const lastAttemptAtByMethod = new Map<string, number>();
  // The failure that opened the case was on the default method.
  if (def) lastAttemptAtByMethod.set(def.id, ctx.openedAt.getTime());
  const retriesByMethod = new Map<string, number>();
  let backupsUsed = 0;
  const backupsTried = new Set<string>();
  for (const attempt of ctx.attempts) {
    const id = attempt.paymentMethodId ?? def?.id;
    if (id !== undefined) lastAttemptAtByMethod.set(id, Math.max(lastAttemptAtByMethod.get(id) ?? 0, attempt.at.getTime()));
    if (id !== undefined && attempt.at.getTime() > ctx.openedAt.getTime()) retriesByMethod.set(id, (retriesByMethod.get(id) ?? 0) + 1);
    if (attempt.paymentMethodId !== null && backupIds.has(attempt.paymentMethodId)) {
      backupsUsed += 1;
      backupsTried.add(attempt.paymentMethodId);
    }
  }
  const lastFailedOn = ctx.lastFailure.paymentMethodId;
  return {
    lastAttemptAt: Math.max(ctx.openedAt.getTime(), ...ctx.attempts.map((a) => a.at.getTime())),
    lastAttemptAtByMethod,
    retriesByMethod,
    lastFailedOnDefault: lastFailedOn === null || lastFailedOn === def?.id,
    backupsUsed,
    backupsTried,
    lastFailureHour: localParts(ctx.lastFailure.at, ctx.timeZone).hour,
  };
}

/** After the default fails, a backup the policy allows; otherwise the default, if usable. */
function chooseMethod(ctx: PlanContext, state: SequenceState): Method | null {
  const def = defaultMethod(ctx);
  const defaultUsable = def?.usable === true;
  const backups = ctx.input.policy.backupPaymentMethods;
  if ((state.lastFailedOnDefault || !defaultUsable) && backups.allowed && state.backupsUsed < backups.maxPerCase) {
    const backup = ctx.input.paymentMethods.find((m) => m.usable && !m.isDefault && !state.backupsTried.has(m.id));
    if (backup) return { id: backup.id, backup: true };
  }
  return def && defaultUsable ? { id: def.id, backup: false } : null;
}

/**
 * Hours to leave before the next retry of a card that has already been retried `retries`
 * times in this case: the category's minimum, doubling with each retry (up to a week), so a
 * sequence backs off instead of spending every attempt in the first days.
 */
function spacingHours(category: DeclineCategory, retries: number): number {
  return Math.min(minSpacingHours[category] * 2 ** retries, 168);
}

/** The first time from `from` that fits the preferred hours and that the guard allows. */
function firstAllowedFrom(ctx: PlanContext, from: Date, until: Date, methodId: string, preferred: LocalHours | null) {
  const refusals: string[] = [];
  let due = from;
  for (let tries = 0; tries < 50; tries++) {
    if (preferred) {
      const moved = moveIntoLocalHours(due, ctx.timeZone, preferred, { notBefore: due, notAfter: until });
      if (!moved) return null;
      due = moved;
    }
    if (due.getTime() > until.getTime()) return null;
    const verdict = ctx.input.networkGuard(due, methodId);
    if (verdict.allowed) return { at: due, refusals };
    if (verdict.reason) refusals.push(verdict.reason);
    if (!verdict.retryAfter) return null;
    due = new Date(Math.max(verdict.retryAfter.getTime(), due.getTime() + 60_000));
  }
  return null;
}

type ScoredSlot = Slot & { score: number; mean: number; observedAttempts: number };

function bestSmartSlot(ctx: PlanContext, grid: readonly Slot[], earliest: number, method: Method, profile: DeclineCategory, state: SequenceState, preferred: LocalHours | null) {
  const scored: ScoredSlot[] = [];
  for (const slot of grid) {
    const t = slot.at.getTime();
    if (t < earliest || (preferred && !inLocalHours(slot.local.hour, preferred))) continue;
    const { weekday, hour } = slot.local;
    const observed = ctx.input.stats.get(profile, slot.bucket, weekday, hour);
    const { mean, score } = posteriorScore(priorSuccessRate(profile, slot.bucket, weekday, hour), observed);
    const factor = urgencyFactor(profile, (t - earliest) / HOUR_MS) * hourVarietyFactor(profile, hour, state.lastFailureHour);
    scored.push({ ...slot, mean, observedAttempts: observed.attempts, score: score * factor });
  }
  return pickAllowedSlot(scored, (at) => ctx.input.networkGuard(at, method.id));
}

type TimedRetry = { at: Date; why: string; refusals: string[] };

/** Retry N at the policy's Nth offset (or the first allowed time after it). */
function timeFixedRetry(
  ctx: PlanContext,
  p: { index: number; offsets: readonly number[]; notBefore: number; until: Date; method: Method; preferred: LocalHours | null },
): TimedRetry | null {
  const offset = p.offsets[p.index];
  if (offset === undefined) return null;
  const nominal = ctx.openedAt.getTime() + offset * HOUR_MS;
  const found = firstAllowedFrom(ctx, new Date(Math.max(nominal, p.notBefore)), p.until, p.method.id, p.preferred);
  return found && { ...found, why: `fixed timing: retry ${p.index + 1} of the policy, ${offset} h after the case opened` };
}

/** The best-scoring hour after the card's spacing, for the failure's category. */
function timeSmartRetry(
  ctx: PlanContext,
  p: { grid: readonly Slot[]; notBefore: number; method: Method; state: SequenceState; preferred: LocalHours | null },
): TimedRetry | null {
  const { method, state } = p;
  // A backup card has no history with this failure: time it like a soft decline.
  const profile: DeclineCategory = method.backup ? "soft" : ctx.category;
  const sameCardAt = state.lastAttemptAtByMethod.get(method.id);
  const sameCard = sameCardAt === undefined ? 0 : sameCardAt + spacingHours(profile, state.retriesByMethod.get(method.id) ?? 0) * HOUR_MS;
  const found = bestSmartSlot(ctx, p.grid, Math.max(p.notBefore, sameCard), method, profile, state, p.preferred);
  if (!found) return null;
  const { slot } = found;
  const evidence = slot.observedAttempts > 0 ? `learned from ${slot.observedAttempts} retries in this slot` : "prior for a new account";
  const timing = method.backup ? "the default failed: try a backup soon, at a daytime hour" : whyByCategory[profile];
  const day = profile === "insufficient_funds" ? ` (${bucketLabel[slot.bucket]})` : "";
  return { at: slot.at, refusals: found.refusals, why: `${timing}${day}; estimated success ${Math.round(slot.mean * 100)}%, ${evidence}` };
}

function retryReason(ctx: PlanContext, parts: { why: string; at: Date; method: Method; refusals: string[] }): string {
  const notes = [`${describeLocal(parts.at, ctx.timeZone)}: ${parts.why}`];
  if (parts.method.backup) notes.push(`on backup payment method ${parts.method.id}`);
  if (parts.refusals.length > 0) notes.push(`card-network rules ruled out other times: ${parts.refusals.join("; ")}`);
  return notes.join("; ");
}

export function planRetries(ctx: PlanContext): PlannedStep[] {
  const { input, category } = ctx;
  // The provider's own retries must not be stacked with ours; an attempt in flight decides the next step.
  if (input.retryOwner === "provider" || ctx.attempts.at(-1)?.status === "pending") return [];
  if (category === "authentication_required" || ctx.latestFailureCategory === "authentication_required") return [];

  // The failure that opened the case (at caseOpenedAt) is not a retry; every later attempt is.
  const retriesMade = ctx.attempts.filter((a) => a.at.getTime() > ctx.openedAt.getTime()).length;
  const doneRetries = input.history.stepsDone.filter((s) => s.kind === "retry");
  const used = Math.max(retriesMade, doneRetries.length);
  const remaining = input.policy.maxAttempts - used;
  if (remaining <= 0) return [];
  const numbers = doneRetries.map((s) => Number(/^retry:(\d+)$/.exec(s.key)?.[1] ?? 0));
  const firstNumber = Math.max(used, ...numbers) + 1;
  const until = new Date(Math.min(ctx.windowEnd.getTime(), ctx.finalAt.getTime() - 1));
  const start = new Date(Math.max(input.now.getTime(), ctx.openedAt.getTime()));

  const newCard = findNewCard(ctx);
  if (newCard) {
    const found = firstAllowedFrom(ctx, start, until, newCard.id, null);
    if (!found) return [];
    const why = `a new payment method was added after the last failure: retry once, at once`;
    const reason = retryReason(ctx, { why, at: found.at, method: { id: newCard.id, backup: false }, refusals: found.refusals });
    return [{ kind: "retry", dueAt: found.at, key: `retry:${firstNumber}`, paymentMethodId: newCard.id, reason }];
  }
  // Hard declines and dead cards are never retried; the messages ask for a new card.
  if (neverRetried.has(category) || (ctx.latestFailureCategory !== null && neverRetried.has(ctx.latestFailureCategory))) return [];

  const { timing } = input.policy;
  const preferred = timing.preferredHours ? { start: timing.preferredHours[0], end: timing.preferredHours[1] } : null;
  const grid = timing.mode === "smart" ? hourlySlots(start, until, ctx.timeZone) : [];
  const state = initialState(ctx);
  const steps: PlannedStep[] = [];
  for (let i = 0; i < remaining; i++) {
    const method = chooseMethod(ctx, state);
    if (!method) break;
    const afterAny = Math.max(start.getTime(), state.lastAttemptAt + switchCardSpacingHours * HOUR_MS);
    const timed =
      timing.mode === "fixed"
        ? timeFixedRetry(ctx, { index: used + i, offsets: timing.fixedOffsetsHours ?? [], notBefore: afterAny, until, method, preferred })
        : timeSmartRetry(ctx, { grid, notBefore: afterAny, method, state, preferred });
    if (!timed) break;
    const { at } = timed;
    steps.push({ kind: "retry", dueAt: at, key: `retry:${firstNumber + i}`, paymentMethodId: method.id, reason: retryReason(ctx, { ...timed, method }) });
    // Lay out the rest of the sequence as if this retry fails too.
    state.lastAttemptAt = at.getTime();
    state.lastAttemptAtByMethod.set(method.id, at.getTime());
    state.retriesByMethod.set(method.id, (state.retriesByMethod.get(method.id) ?? 0) + 1);
    state.lastFailedOnDefault = !method.backup;
    state.lastFailureHour = localParts(at, ctx.timeZone).hour;
    if (method.backup) {
      state.backupsUsed += 1;
      state.backupsTried.add(method.id);
    }
  }
  return steps;
}
