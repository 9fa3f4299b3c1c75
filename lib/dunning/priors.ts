import type { DeclineCategory } from "./types";

/**
 * What the planner believes about when a retry succeeds, before and after it has seen a
 * workspace's own outcomes. A slot is (decline category × day-of-month bucket × weekday ×
 * hour), all in the customer's time zone.
 */

/** Days of the month around common paydays: the 1st, the 15th, the last business day. */
export const dayBuckets = ["month_start", "mid_month", "month_end", "other"] as const;
export type DayBucket = (typeof dayBuckets)[number];

export type SlotStats = { attempts: number; successes: number };

/** Observed retry outcomes per slot (weekday 0 = Sunday, hour 0–23, both local). */
export type LearnedStats = {
  get(category: DeclineCategory, bucket: DayBucket, weekday: number, hour: number): SlotStats;
};

export const emptyStats: LearnedStats = { get: () => ({ attempts: 0, successes: 0 }) };

export type SlotStatsRow = SlotStats & { category: DeclineCategory; bucket: DayBucket; weekday: number; hour: number };

const slotKey = (category: DeclineCategory, bucket: DayBucket, weekday: number, hour: number) => `${category}|${bucket}|${weekday}|${hour}`;

/** LearnedStats over rows such as the engine's retry-outcome table (repeated slots add up). */
export function statsFromRows(rows: readonly SlotStatsRow[]): LearnedStats {
  const totals = new Map<string, SlotStats>();
  for (const row of rows) {
    const key = slotKey(row.category, row.bucket, row.weekday, row.hour);
    const total = totals.get(key) ?? { attempts: 0, successes: 0 };
    totals.set(key, { attempts: total.attempts + row.attempts, successes: total.successes + row.successes });
  }
  return { get: (category, bucket, weekday, hour) => totals.get(slotKey(category, bucket, weekday, hour)) ?? { attempts: 0, successes: 0 } };
}

/**
 * Hours to leave after an attempt on the same card. Insufficient funds needs new money, so a
 * day at least; a soft decline clears in hours; a processing error is the network's, not
 * the card's.
 */
export const minSpacingHours: Record<DeclineCategory, number> = {
  insufficient_funds: 24,
  soft: 6,
  processing_error: 1,
  hard: 24,
  card_update_needed: 24,
  authentication_required: 24,
};

/** Another card's first try only waits this long after the last attempt. */
export const switchCardSpacingHours = 1;

/**
 * How much a later slot is worth against the earliest one: it halves after this many hours.
 * Payday timing outweighs a two-week wait for insufficient funds; soft and processing errors
 * should be retried soon.
 */
export const urgencyHalfLifeHours: Record<DeclineCategory, number> = {
  insufficient_funds: 336,
  soft: 48,
  processing_error: 4,
  hard: 48,
  card_update_needed: 48,
  authentication_required: 48,
};

/** Pseudo-attempts the prior is worth: a workspace's data outweighs it after a few dozen retries in a slot. */
export const PRIOR_STRENGTH = 20;
/** Exploration: standard deviations of uncertainty added to the mean (slots seldom tried get a small bonus). */
export const EXPLORATION = 0.5;

const isWeekend = (weekday: number) => weekday === 0 || weekday === 6;

function insufficientFundsPrior(bucket: DayBucket, weekday: number, hour: number): number {
  // Salaries land overnight on paydays; the morning after is when the balance is highest.
  const day = bucket === "other" ? 1 : 2.4;
  const morning: Record<number, number> = { 7: 1.3, 8: 1.5, 9: 1.5, 10: 1.3 };
  const byHour = morning[hour] ?? (hour >= 11 && hour <= 16 ? 1 : hour >= 17 && hour <= 21 ? 0.8 : 0.5);
  return 0.08 * day * byHour * (isWeekend(weekday) ? 0.85 : 1);
}

function softPrior(weekday: number, hour: number): number {
  // Issuer outages and velocity limits clear within hours; mid-day is when issuers are staffed and awake.
  const byHour = hour >= 10 && hour <= 15 ? 1.2 : hour >= 8 && hour <= 18 ? 1 : hour >= 19 && hour <= 21 ? 0.85 : 0.6;
  return 0.25 * byHour * (isWeekend(weekday) ? 0.9 : 1);
}

/** Success rate of a retry in this slot for a workspace with no history yet. */
export function priorSuccessRate(category: DeclineCategory, bucket: DayBucket, weekday: number, hour: number): number {
  switch (category) {
    case "insufficient_funds":
      return insufficientFundsPrior(bucket, weekday, hour);
    case "soft":
      return softPrior(weekday, hour);
    case "processing_error":
      return hour >= 1 && hour <= 5 ? 0.4 : 0.5;
    default:
      // Not retried off-session; the value only matters for a retry on a newly added card.
      return 0.3;
  }
}

/**
 * Beta(prior·k, (1−prior)·k) updated with the observed successes and failures; the score is
 * the posterior mean plus an exploration bonus of EXPLORATION posterior standard deviations.
 */
export function posteriorScore(prior: number, observed: SlotStats): { mean: number; score: number } {
  const attempts = Number.isFinite(observed.attempts) ? Math.max(0, observed.attempts) : 0;
  const successes = Number.isFinite(observed.successes) ? Math.min(Math.max(0, observed.successes), attempts) : 0;
  const alpha = prior * PRIOR_STRENGTH + successes;
  const beta = (1 - prior) * PRIOR_STRENGTH + (attempts - successes);
  const total = alpha + beta;
  const mean = alpha / total;
  const sd = Math.sqrt((alpha * beta) / (total * total * (total + 1)));
  return { mean, score: mean + EXPLORATION * sd };
}

/** Multiplier for waiting `hours` past the earliest allowed slot. */
export function urgencyFactor(category: DeclineCategory, hours: number): number {
  return Math.pow(0.5, Math.max(0, hours) / urgencyHalfLifeHours[category]);
}

/**
 * Soft declines: an hour within one of the last failure's local hour is likely to meet the
 * same condition (a batch window, a daily limit reset), so it is worth less.
 */
export function hourVarietyFactor(category: DeclineCategory, hour: number, lastFailureHour: number | null): number {
  if (category !== "soft" || lastFailureHour === null) return 1;
  const distance = Math.min(Math.abs(hour - lastFailureHour), 24 - Math.abs(hour - lastFailureHour));
  return distance <= 1 ? 0.7 : 1;
}
