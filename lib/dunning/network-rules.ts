import { cardNetworkOf, networkRetryAfterHours, networkStopRule } from "./classify";
import { normalizeCode } from "./decline-codes";
import type { AttemptFacts, CardNetwork } from "./types";

/**
 * The card-network guard. The engine asks it before every merchant-initiated charge; a
 * refusal is final for that moment whatever the policy or an operator wants.
 *
 * Visa. A category-1 response ("issuer will never approve") is never retried. At most 15
 * reattempts per card in any rolling 30 days. A reattempt is an attempt that follows a
 * declined attempt on the same card; the original attempt of a charge is not one, as Visa
 * counts "reattempts after an initial decline" (Visa Core Rules via
 * https://developers.tabapay.com/docs/excessive-retry-rules and
 * https://developer.worldpay.com/products/access/reference/response-codes/scheme-codes/:
 * "reattempt up to 15 times over 30 days"). Visa raised the number to 20 in 2025
 * (https://docs.cielo.com.br/ecommerce-cielo-en/changelog/new-limit-for-visa-retries-starting-may-25-2025);
 * DESIGN.md keeps 15, which is stricter and so still compliant.
 * Some processors reset the count on an approval ("consecutive declines"); we do not: an
 * approval ends the chain (the next attempt is an original again) but the reattempts already
 * made stay in the window, and an approved reattempt counts too. That reading can only
 * refuse earlier than the rule, never later.
 *
 * Mastercard. Merchant advice codes 03 and 21 are never retried. At most 10 attempts per
 * card in any rolling 24 hours and 35 in any rolling 30 days (Transaction Processing
 * Excellence, https://developers.tabapay.com/docs/excessive-retry-rules). Mastercard counts
 * declines per calendar day and per 30-day period; we count every attempt, the original and
 * approvals included, over rolling windows, which is never fewer. MAC 24–30 ("retry after
 * 1 hour … 10 days") hold the card until that time.
 *
 * The card is its fingerprint. Attempts on another fingerprint do not count; attempts with
 * no fingerprint count unless their brand shows another network. Without a fingerprint for
 * the card, every attempt passed in counts. An unknown brand gets both networks' rules.
 * American Express and Discover publish no such caps; the policy's own limits apply.
 */

export const VISA_MAX_REATTEMPTS_30_DAYS = 15;
export const MASTERCARD_MAX_ATTEMPTS_24_HOURS = 10;
export const MASTERCARD_MAX_ATTEMPTS_30_DAYS = 35;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type NetworkCheckInput = {
  card: { brand: string | null; fingerprint: string | null };
  /** The failure being retried (also expected in history; added when missing). */
  lastFailure: AttemptFacts | null;
  /** Every attempt known for this card, the provider's own retries included. */
  history: AttemptFacts[];
  now: Date;
};

export type NetworkVerdict = { allowed: true } | { allowed: false; reason: string; rule: string; retryAfter: Date | null };

type Refusal = { allowed: false; reason: string; rule: string; retryAfter: Date | null };

export function checkNetworkRetryAllowed(input: NetworkCheckInput): NetworkVerdict {
  const network = cardNetworkOf(input.card.brand ?? input.lastFailure?.cardBrand ?? null);
  const visa = network === null || network === "other" || network === "visa";
  const mastercard = network === null || network === "other" || network === "mastercard";
  if (!visa && !mastercard) return { allowed: true };

  const attempts = cardAttempts(input, network);
  const stop = neverRetry(attempts);
  if (stop) return stop;

  const refusals: Refusal[] = [];
  const latest = attempts.at(-1);
  if (mastercard && latest && latest.status !== "succeeded") {
    const hours = networkRetryAfterHours(latest);
    const until = hours === null ? null : new Date(latest.at.getTime() + hours * HOUR);
    if (until && until > input.now) {
      refusals.push({ allowed: false, reason: `Mastercard advised waiting ${hours} hours after the last decline`, rule: `mastercard:mac:${normalizeCode(latest.networkAdviceCode)}`, retryAfter: until });
    }
  }
  if (visa && latest && latest.status !== "succeeded") {
    const reattempts = reattemptTimes(attempts).filter((t) => inWindow(t, input.now, 30 * DAY));
    const refusal = cap(reattempts, VISA_MAX_REATTEMPTS_30_DAYS, 30 * DAY, "visa:max_reattempts_30d", "Visa allows at most 15 reattempts per card in 30 days");
    if (refusal) refusals.push(refusal);
  }
  if (mastercard) {
    const times = attempts.map((a) => a.at.getTime());
    const daily = cap(times.filter((t) => inWindow(t, input.now, DAY)), MASTERCARD_MAX_ATTEMPTS_24_HOURS, DAY, "mastercard:max_attempts_24h", "Mastercard allows at most 10 attempts per card in 24 hours");
    const monthly = cap(times.filter((t) => inWindow(t, input.now, 30 * DAY)), MASTERCARD_MAX_ATTEMPTS_30_DAYS, 30 * DAY, "mastercard:max_attempts_30d", "Mastercard allows at most 35 attempts per card in 30 days");
    if (daily) refusals.push(daily);
    if (monthly) refusals.push(monthly);
  }
  // Every refusal must have cleared: the binding one is the latest to clear.
  return refusals.reduce<NetworkVerdict>((worst, r) => (worst.allowed || (r.retryAfter?.getTime() ?? 0) > (worst.retryAfter?.getTime() ?? 0) ? r : worst), { allowed: true });
}

/** When the networks next allow a retry of this card: `now` if at once, null if never. */
export function nextAllowedTime(input: NetworkCheckInput): Date | null {
  const verdict = checkNetworkRetryAllowed(input);
  return verdict.allowed ? input.now : verdict.retryAfter;
}

/** The card's attempts up to now, oldest first, the last failure merged in. */
function cardAttempts(input: NetworkCheckInput, network: CardNetwork | null): AttemptFacts[] {
  const all = [...input.history];
  const last = input.lastFailure;
  if (last && !all.some((a) => a === last || sameAttempt(a, last))) all.push(last);
  const fingerprint = input.card.fingerprint;
  return all
    .filter((a) => a.at.getTime() <= input.now.getTime())
    .filter((a) => {
      if (fingerprint === null || a.cardFingerprint === fingerprint) return true;
      if (a.cardFingerprint !== null) return false;
      const brand = cardNetworkOf(a.cardBrand);
      return brand === null || network === null || brand === network;
    })
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

function sameAttempt(a: AttemptFacts, b: AttemptFacts): boolean {
  return a.at.getTime() === b.at.getTime() && a.status === b.status && a.cardFingerprint === b.cardFingerprint && a.provider === b.provider;
}

/** The latest never-retry response on the card, unless the card was approved since. */
function neverRetry(attempts: AttemptFacts[]): Refusal | null {
  for (let i = attempts.length - 1; i >= 0; i--) {
    const a = attempts[i];
    if (!a) continue;
    if (a.status === "succeeded") return null;
    const rule = networkStopRule(a);
    if (rule) {
      const what = rule.startsWith("visa") ? "a Visa category-1 response (issuer will never approve)" : "a Mastercard do-not-retry advice code";
      return { allowed: false, reason: `The card got ${what} on ${a.at.toISOString()}; it is never retried`, rule, retryAfter: null };
    }
  }
  return null;
}

/** Times of reattempts: attempts that follow a non-approved attempt on the card. */
function reattemptTimes(attempts: AttemptFacts[]): number[] {
  const times: number[] = [];
  let previousDeclined = false;
  for (const a of attempts) {
    if (previousDeclined) times.push(a.at.getTime());
    previousDeclined = a.status !== "succeeded";
  }
  return times;
}

function inWindow(time: number, now: Date, length: number): boolean {
  return time <= now.getTime() && now.getTime() - time < length;
}

/** Refuses when `times` (inside one window) already hold `max`; retryAfter is when one more fits. */
function cap(times: number[], max: number, length: number, rule: string, reason: string): Refusal | null {
  if (times.length < max) return null;
  const sorted = [...times].sort((a, b) => a - b);
  const leaving = sorted[sorted.length - max] ?? sorted[0] ?? 0;
  return { allowed: false, reason: `${reason} (${times.length} already)`, rule, retryAfter: new Date(leaving + length) };
}
