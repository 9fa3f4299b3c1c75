import { describe, expect, it } from "vitest";
import { checkNetworkRetryAllowed, nextAllowedTime, type NetworkCheckInput } from "@/lib/dunning/network-rules";
import type { AttemptFacts } from "@/lib/dunning/types";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t0 = new Date("2026-03-01T09:00:00Z").getTime();
const at = (ms: number) => new Date(t0 + ms);

function attempt(time: number, f: Partial<AttemptFacts> = {}): AttemptFacts {
  return {
    at: at(time),
    status: "failed",
    provider: "stripe",
    declineCode: "insufficient_funds",
    failureCode: "card_declined",
    adviceCode: null,
    networkAdviceCode: null,
    networkDeclineCode: "51",
    cardBrand: "visa",
    cardFingerprint: "fp_card",
    ...f,
  };
}

/** An original decline at t0 and `n` failed reattempts, one a day. */
function visaChain(n: number, f: Partial<AttemptFacts> = {}): AttemptFacts[] {
  return Array.from({ length: n + 1 }, (_, i) => attempt(i * DAY, f));
}

function check(history: AttemptFacts[], now: number, card: Partial<NetworkCheckInput["card"]> = {}) {
  const failures = history.filter((a) => a.status !== "succeeded");
  return checkNetworkRetryAllowed({
    card: { brand: "visa", fingerprint: "fp_card", ...card },
    lastFailure: failures.at(-1) ?? null,
    history,
    now: at(now),
  });
}

describe("Visa", () => {
  it("allows the 15th reattempt in 30 days: the original attempt is not a reattempt", () => {
    expect(check(visaChain(14), 14 * DAY + HOUR)).toEqual({ allowed: true });
  });

  it("refuses the 16th, until the oldest reattempt leaves the 30-day window", () => {
    const history = visaChain(15);
    const verdict = check(history, 15 * DAY + HOUR);
    expect(verdict).toMatchObject({ allowed: false, rule: "visa:max_reattempts_30d", retryAfter: at(1 * DAY + 30 * DAY) });
    expect(check(history, 31 * DAY - 1)).toMatchObject({ allowed: false });
    expect(check(history, 31 * DAY)).toEqual({ allowed: true });
  });

  it("waits for enough reattempts to leave when the provider's own retries went past the cap", () => {
    const history = visaChain(17);
    expect(check(history, 17 * DAY + HOUR)).toMatchObject({ allowed: false, retryAfter: at(3 * DAY + 30 * DAY) });
  });

  it("treats an attempt that asked for authentication as a decline that starts a chain", () => {
    const history = visaChain(15).map((a, i) => (i % 2 ? { ...a, status: "requires_action" as const, declineCode: "authentication_required" } : a));
    expect(check(history, 16 * DAY)).toMatchObject({ allowed: false, rule: "visa:max_reattempts_30d" });
  });

  it("does not count the last failure twice when it is also in the history", () => {
    const history = visaChain(14);
    const verdict = checkNetworkRetryAllowed({ card: { brand: "visa", fingerprint: "fp_card" }, lastFailure: history.at(-1) ?? null, history, now: at(15 * DAY) });
    expect(verdict).toEqual({ allowed: true });
  });

  it("counts the last failure when the history lacks it", () => {
    const history = visaChain(14);
    const lastFailure = attempt(14 * DAY + 2 * HOUR);
    const verdict = checkNetworkRetryAllowed({ card: { brand: "visa", fingerprint: "fp_card" }, lastFailure, history, now: at(15 * DAY) });
    expect(verdict).toMatchObject({ allowed: false, rule: "visa:max_reattempts_30d" });
  });

  it("never retries a category-1 response, however long ago", () => {
    const history = [attempt(0, { declineCode: "lost_card", networkDeclineCode: "41" })];
    expect(check(history, 2 * DAY)).toMatchObject({ allowed: false, rule: "visa:cat1:41", retryAfter: null });
    expect(check(history, 400 * DAY)).toMatchObject({ allowed: false, retryAfter: null });
    expect(nextAllowedTime({ card: { brand: "visa", fingerprint: "fp_card" }, lastFailure: history[0] ?? null, history, now: at(DAY) })).toBeNull();
  });

  it("blocks on a category-1 response earlier in the history, not only the last failure", () => {
    const history = [attempt(0, { networkDeclineCode: "R1", declineCode: "revocation_of_authorization" }), attempt(DAY)];
    expect(check(history, 2 * DAY)).toMatchObject({ allowed: false, rule: "visa:cat1:R1" });
  });

  it("lifts a category-1 block once the same card was approved since", () => {
    const history = [attempt(0, { networkDeclineCode: "R0" }), attempt(DAY, { status: "succeeded", declineCode: null, networkDeclineCode: null }), attempt(31 * DAY)];
    expect(check(history, 32 * DAY)).toEqual({ allowed: true });
  });

  it("lets an approval end the chain but not reset the count (stricter than 'consecutive declines')", () => {
    // 9 failed reattempts, an approved 10th, then next month's original and 5 reattempts:
    // 15 reattempts in 30 days; a reset-on-approval reading would count only 5.
    const history = [
      ...visaChain(9),
      attempt(10 * DAY, { status: "succeeded", declineCode: null, networkDeclineCode: null }),
      attempt(12 * DAY),
      ...Array.from({ length: 5 }, (_, i) => attempt((13 + i) * DAY)),
    ];
    expect(check(history, 18 * DAY)).toMatchObject({ allowed: false, rule: "visa:max_reattempts_30d", retryAfter: at(31 * DAY) });
    // Without the 5th reattempt the 15th is still allowed: the original after the approval did not count.
    expect(check(history.slice(0, -1), 18 * DAY)).toEqual({ allowed: true });
  });

  it("does not count attempts on another fingerprint", () => {
    const other = visaChain(20, { cardFingerprint: "fp_old_card" });
    const history = [...other, attempt(21 * DAY)];
    expect(check(history, 22 * DAY)).toEqual({ allowed: true });
  });

  it("counts attempts without a fingerprint unless their brand shows another network", () => {
    const unknownCard = visaChain(14, { cardFingerprint: null });
    expect(check([...unknownCard, attempt(15 * DAY)], 16 * DAY)).toMatchObject({ allowed: false });
    const amex = visaChain(14, { cardFingerprint: null, cardBrand: "amex" });
    expect(check([...amex, attempt(15 * DAY)], 16 * DAY)).toEqual({ allowed: true });
  });

  it("counts every attempt passed in when the card has no fingerprint", () => {
    const mixed = visaChain(15).map((a, i) => ({ ...a, cardFingerprint: `fp_${i % 3}` }));
    expect(check(mixed, 16 * DAY, { fingerprint: null })).toMatchObject({ allowed: false, rule: "visa:max_reattempts_30d" });
  });
});

describe("Mastercard", () => {
  const mc = (time: number, f: Partial<AttemptFacts> = {}) => attempt(time, { cardBrand: "mastercard", networkDeclineCode: null, ...f });
  const card = { brand: "mastercard" };

  it("allows a 10th attempt in 24 hours and refuses an 11th until the oldest is 24 hours old", () => {
    const nine = Array.from({ length: 9 }, (_, i) => mc(i * HOUR));
    expect(check(nine, 9 * HOUR, card)).toEqual({ allowed: true });
    const ten = [...nine, mc(9 * HOUR)];
    expect(check(ten, 10 * HOUR, card)).toMatchObject({ allowed: false, rule: "mastercard:max_attempts_24h", retryAfter: at(DAY) });
    expect(check(ten, DAY, card)).toEqual({ allowed: true });
  });

  it("counts the original attempt and approvals as attempts", () => {
    const history = [mc(0, { status: "succeeded", declineCode: null }), ...Array.from({ length: 9 }, (_, i) => mc((i + 1) * HOUR))];
    expect(check(history, 10 * HOUR, card)).toMatchObject({ allowed: false, rule: "mastercard:max_attempts_24h" });
  });

  it("allows a 35th attempt in 30 days and refuses a 36th", () => {
    const spaced = (n: number) => Array.from({ length: n }, (_, i) => mc(i * 20 * HOUR));
    expect(check(spaced(34), 34 * 20 * HOUR, card)).toEqual({ allowed: true });
    const verdict = check(spaced(35), 35 * 20 * HOUR, card);
    expect(verdict).toMatchObject({ allowed: false, rule: "mastercard:max_attempts_30d", retryAfter: at(30 * DAY) });
  });

  it("reports the cap that clears last when both are full", () => {
    const history = [...Array.from({ length: 25 }, (_, i) => mc(i * 20 * HOUR)), ...Array.from({ length: 10 }, (_, i) => mc(21 * DAY + i * HOUR))];
    const verdict = check(history, 21 * DAY + 10 * HOUR, card);
    expect(verdict).toMatchObject({ allowed: false, rule: "mastercard:max_attempts_30d", retryAfter: at(30 * DAY) });
  });

  it.each([["03"], ["21"], ["3"]])("never retries after merchant advice code %s", (code) => {
    const history = [mc(0, { networkAdviceCode: code })];
    expect(check(history, 60 * DAY, card)).toMatchObject({ allowed: false, retryAfter: null, rule: `mastercard:mac:${code.padStart(2, "0")}` });
  });

  it("lets a new card be tried after MAC 21 on the old one", () => {
    const history = [mc(0, { networkAdviceCode: "21", cardFingerprint: "fp_old" })];
    expect(checkNetworkRetryAllowed({ card: { brand: "mastercard", fingerprint: "fp_new" }, lastFailure: null, history, now: at(DAY) })).toEqual({ allowed: true });
  });

  it("holds the card for the time MAC 25 asks (24 hours)", () => {
    const history = [mc(0, { networkAdviceCode: "25" })];
    expect(check(history, HOUR, card)).toMatchObject({ allowed: false, rule: "mastercard:mac:25", retryAfter: at(DAY) });
    expect(nextAllowedTime({ card: { brand: "mastercard", fingerprint: "fp_card" }, lastFailure: history[0] ?? null, history, now: at(HOUR) })).toEqual(at(DAY));
    expect(check(history, DAY, card)).toEqual({ allowed: true });
  });
});

describe("brands", () => {
  it("applies both networks' caps when the brand is unknown", () => {
    const ten = Array.from({ length: 10 }, (_, i) => attempt(i * HOUR, { cardBrand: null }));
    expect(check(ten, 10 * HOUR, { brand: null })).toMatchObject({ allowed: false, rule: "mastercard:max_attempts_24h" });
  });

  it("puts no network cap on American Express", () => {
    const many = Array.from({ length: 50 }, (_, i) => attempt(i * HOUR, { cardBrand: "amex", networkDeclineCode: null }));
    expect(check(many, 50 * HOUR, { brand: "amex" })).toEqual({ allowed: true });
  });
});

/** mulberry32: a small seeded PRNG, so a failing run can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Reattempts (attempts after a non-approved one) within the 30 days ending at `end`, counted the slow way. */
function reattemptsEndingAt(history: AttemptFacts[], end: number): number {
  let count = 0;
  history.forEach((a, i) => {
    const previous = history[i - 1];
    const t = a.at.getTime();
    if (previous && previous.status !== "succeeded" && t <= end && end - t < 30 * DAY) count++;
  });
  return count;
}

describe("property: random histories", () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])("never allows a 16th Visa reattempt in any 30 days (seed %i)", (seed) => {
    const random = prng(seed);
    const history: AttemptFacts[] = [attempt(0)];
    let now = t0;
    let refusals = 0;
    while (now < t0 + 150 * DAY) {
      now += Math.floor(random() * 40 * HOUR);
      const input = { card: { brand: "visa", fingerprint: "fp_card" }, lastFailure: history.at(-1) ?? null, history, now: new Date(now) };
      const verdict = checkNetworkRetryAllowed(input);
      if (!verdict.allowed) {
        refusals++;
        // retryAfter is exact: allowed from then, not a millisecond before.
        const after = verdict.retryAfter?.getTime() ?? Number.NaN;
        expect(checkNetworkRetryAllowed({ ...input, now: new Date(after) }).allowed).toBe(true);
        expect(checkNetworkRetryAllowed({ ...input, now: new Date(after - 1) }).allowed).toBe(false);
        if (random() < 0.5) now = after;
        continue;
      }
      const approved = random() < 0.08;
      history.push(attempt(now - t0, approved ? { status: "succeeded", declineCode: null, networkDeclineCode: null } : {}));
      // Some approvals are followed by next period's original charge failing.
      if (approved && random() < 0.7) {
        now += HOUR;
        history.push(attempt(now - t0));
      }
      // The busiest window ends at a reattempt, and each one is checked as it is added.
      expect(reattemptsEndingAt(history, now)).toBeLessThanOrEqual(15);
    }
    expect(refusals).toBeGreaterThan(0);
  });

  it.each([11, 12, 13, 14])("never allows more than 10 Mastercard attempts a day or 35 in 30 days (seed %i)", (seed) => {
    const random = prng(seed);
    const history: AttemptFacts[] = [];
    let fullDay = false;
    let fullMonth = false;
    let now = t0;
    while (now < t0 + 240 * DAY) {
      // Bursts of quick retries between long pauses, so both caps get hit.
      const roll = random();
      now += Math.floor(roll < 0.03 ? random() * 20 * DAY : roll < 0.5 ? random() * 12 * HOUR : random() * HOUR);
      const verdict = checkNetworkRetryAllowed({ card: { brand: "mastercard", fingerprint: "fp_card" }, lastFailure: history.at(-1) ?? null, history, now: new Date(now) });
      if (!verdict.allowed) continue;
      history.push(attempt(now - t0, { cardBrand: "mastercard", networkDeclineCode: null, status: random() < 0.1 ? "succeeded" : "failed" }));
      const times = history.map((a) => a.at.getTime());
      const day = times.filter((t) => now - t < DAY).length;
      const month = times.filter((t) => now - t < 30 * DAY).length;
      expect(day).toBeLessThanOrEqual(10);
      expect(month).toBeLessThanOrEqual(35);
      fullDay ||= day === 10;
      fullMonth ||= month === 35;
    }
    // Not vacuous: the run pushed both windows to their caps.
    expect([fullDay, fullMonth]).toEqual([true, true]);
  });
});
