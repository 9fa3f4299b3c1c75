import { afterEach, describe, expect, it, vi } from "vitest";
import { emptyStats, planCase, type LearnedStats, type NetworkGuard, type PlannedStep, type PlannerInput } from "@/lib/dunning/planner";
import { scheduledTemplates, validatePolicy, type Policy, type PolicyMessage } from "@/lib/dunning/policy";
import { declineCategories, type DeclineCategory } from "@/lib/dunning/types";
import { DAY, HOUR, prng, retriesOf, wall, type Prng } from "@/tests/helpers/planner";

/**
 * Properties of the planner over generated cases (a fixed seed, so every run sees the same
 * cases): random valid policies, zones (some invalid), histories, payment methods, learned
 * stats and network guards that refuse random stretches of time.
 */

const CASES = 250;
const zones = ["America/Los_Angeles", "Asia/Tokyo", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "UTC", "Not/AZone", null] as const;
const noRetry: ReadonlySet<DeclineCategory> = new Set(["hard", "card_update_needed", "authentication_required"]);
const retryable = declineCategories.filter((c) => !noRetry.has(c));

type Refusal = { methodId: string; from: number; until: number | null };
type GeneratedCase = { input: PlannerInput; refusals: Refusal[]; zone: string };

function randomPolicy(r: Prng): Policy {
  const windowDays = r.int(1, 60);
  const windowHours = windowDays * 24;
  const maxAttempts = r.int(1, 15);
  const finalOffset = r.chance(0.3) ? r.int(Math.ceil(windowHours / 2), windowHours) : undefined;
  const lastUseful = finalOffset ?? windowHours;
  const offsets = [...new Set(Array.from({ length: r.int(1, maxAttempts) }, () => r.int(0, lastUseful - 1)))].sort((a, b) => a - b);
  const start = r.int(0, 20);
  const messages = new Map<string, PolicyMessage>();
  for (let i = r.int(0, 5); i > 0; i--) {
    const m: PolicyMessage = { offsetHours: r.int(0, lastUseful), template: r.pick(scheduledTemplates), channel: r.pick(["email", "sms"] as const), tone: r.pick(["friendly", "neutral", "firm", "final"] as const) };
    messages.set(`${m.offsetHours}|${m.template}|${m.channel}`, m);
  }
  const backupsAllowed = r.chance(0.6);
  const policy: Policy = {
    name: "generated",
    timing: r.chance(0.35) ? { mode: "fixed", fixedOffsetsHours: offsets } : { mode: "smart" },
    maxAttempts,
    windowDays,
    messages: [...messages.values()],
    finalAction: finalOffset === undefined ? { action: "cancel_at_period_end" } : { action: "pause", offsetHours: finalOffset },
    installments: { allowed: true, maxParts: 3, minPartMinor: 0, maxSpanDays: 60 },
    promiseToPay: { allowed: true, maxDays: 14 },
    backupPaymentMethods: { allowed: backupsAllowed, maxPerCase: backupsAllowed ? r.int(1, 3) : 0 },
  };
  if (r.chance(0.3)) policy.timing.preferredHours = [start, r.int(start + 1, 24)];
  const checked = validatePolicy(policy);
  if (!checked.ok) throw new Error(`generator made an invalid policy: ${JSON.stringify(checked.errors)}`);
  return checked.policy;
}

/** Deterministic pseudo-random stats, so a generated case plans the same every time. */
const noisyStats = (salt: number): LearnedStats => ({
  get: (category, bucket, weekday, hour) => {
    const h = (category.length * 7919 + bucket.length * 104729 + weekday * 131 + hour * 17 + salt) % 97;
    return { attempts: h, successes: Math.floor((h * ((hour + salt) % 10)) / 10) };
  },
});

function randomCase(r: Prng): GeneratedCase {
  const policy = randomPolicy(r);
  const opened = new Date(Date.UTC(2025, 0, 1) + r.int(0, 730) * DAY + r.int(0, 1439) * 60_000);
  const windowMs = policy.windowDays * DAY;
  const now = new Date(opened.getTime() + Math.floor(r.next() * windowMs * 1.15));
  const methods = Array.from({ length: r.chance(0.1) ? 0 : r.int(1, 3) }, (_, i) => ({ id: `pm_${i}`, isDefault: i === 0 && r.chance(0.9), usable: r.chance(0.85) }));
  const ids = [...methods.map((m) => m.id), null, "pm_gone"];
  // Mostly retryable failures, so that the retry properties are exercised often.
  const lastCategory = r.chance(0.7) ? r.pick(retryable) : r.pick(declineCategories);
  const attempts = Array.from({ length: r.int(0, 4) }, () => ({
    at: new Date(opened.getTime() + 1 + Math.floor(r.next() * (now.getTime() - opened.getTime()))),
    status: r.chance(0.85) ? ("failed" as const) : r.pick(["requires_action", "pending", "succeeded"] as const),
    category: r.chance(0.6) ? lastCategory : r.chance(0.8) ? r.pick(declineCategories) : null,
    paymentMethodId: r.pick(ids),
  }));
  const stepsDone = [
    ...policy.messages.flatMap((m, i) => (r.chance(0.3) ? [{ kind: "message" as const, key: `message:${i}:${m.template}` }] : [])),
    ...(r.chance(0.05) ? [{ kind: "final_action" as const, key: "final" }] : []),
  ];
  const refusals: Refusal[] = [];
  for (const m of methods) {
    for (let i = r.int(0, 3); i > 0; i--) {
      const from = opened.getTime() + Math.floor(r.next() * windowMs);
      refusals.push({ methodId: m.id, from, until: r.chance(0.15) ? null : from + r.int(1, 200) * HOUR });
    }
  }
  const guard: NetworkGuard = (at, methodId) => {
    const hit = refusals.find((f) => f.methodId === methodId && at.getTime() >= f.from && (f.until === null || at.getTime() < f.until));
    return hit ? { allowed: false, retryAfter: hit.until === null ? null : new Date(hit.until), reason: "generated cap" } : { allowed: true, retryAfter: null };
  };
  const zone = r.pick(zones);
  const defaultTimezone = r.pick(["Europe/London", "Bogus/Zone"]);
  const input: PlannerInput = {
    policy,
    caseOpenedAt: opened,
    now,
    customer: { timezone: zone, defaultTimezone },
    history: { attempts, stepsDone },
    lastCategory,
    paymentMethods: methods,
    retryOwner: r.chance(0.8) ? "dunwell" : "provider",
    providerNextAttemptAt: r.chance(0.5) ? null : new Date(now.getTime() + r.int(0, 240) * HOUR),
    stats: r.chance(0.5) ? emptyStats : noisyStats(r.int(0, 1000)),
    networkGuard: guard,
  };
  const resolved = [zone, defaultTimezone].find((z) => z !== null && isZone(z)) ?? "UTC";
  return { input, refusals, zone: resolved };
}

function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const r = prng(20260304);
const cases = Array.from({ length: CASES }, () => randomCase(r));
const plans = cases.map((c) => planCase(c.input));
const each = (check: (c: GeneratedCase, plan: PlannedStep[]) => void) => cases.forEach((c, i) => check(c, plans[i]!));

describe(`planner properties over ${CASES} generated cases`, () => {
  afterEach(() => vi.useRealTimers());

  it("exercises every kind of step (the generator is not vacuous)", () => {
    const kinds = new Set(plans.flat().map((s) => s.kind));
    expect([...kinds].sort()).toEqual(["final_action", "message", "retry"]);
    expect(plans.filter((p) => retriesOf(p).length > 0).length).toBeGreaterThan(CASES / 5);
  });

  it("never plans a step outside [caseOpenedAt, caseOpenedAt + windowDays]", () => {
    each(({ input }, plan) => {
      const end = input.caseOpenedAt.getTime() + input.policy.windowDays * DAY;
      for (const step of plan) {
        expect(step.dueAt.getTime()).toBeGreaterThanOrEqual(input.caseOpenedAt.getTime());
        expect(step.dueAt.getTime()).toBeLessThanOrEqual(end);
      }
    });
  });

  it("never plans more retries than maxAttempts leaves, counting the history", () => {
    each(({ input }, plan) => {
      // Attempts the provider or the customer made may already exceed the limit; then none are added.
      const made = input.history.attempts.filter((a) => a.at > input.caseOpenedAt).length;
      expect(retriesOf(plan).length).toBeLessThanOrEqual(Math.max(0, input.policy.maxAttempts - made));
    });
  });

  it("never retries after a hard decline, a card to update or an authentication request", () => {
    each(({ input }, plan) => {
      const failures = input.history.attempts.filter((a) => a.status === "failed" || a.status === "requires_action").sort((a, b) => a.at.getTime() - b.at.getTime());
      const latest = failures.at(-1);
      const blocked = noRetry.has(input.lastCategory) || latest?.status === "requires_action" || (latest?.category != null && noRetry.has(latest.category));
      if (blocked) expect(retriesOf(plan)).toEqual([]);
    });
  });

  it("never plans a retry at a time the network guard refuses", () => {
    each(({ input, refusals }, plan) => {
      for (const retry of retriesOf(plan)) {
        const t = retry.dueAt.getTime();
        expect(refusals.some((f) => f.methodId === retry.paymentMethodId && t >= f.from && (f.until === null || t < f.until))).toBe(false);
        expect(input.networkGuard(retry.dueAt, retry.paymentMethodId!).allowed).toBe(true);
      }
    });
  });

  it("plans no retries when the provider owns them, and none while an attempt is pending", () => {
    each(({ input }, plan) => {
      const latest = [...input.history.attempts].sort((a, b) => a.at.getTime() - b.at.getTime()).at(-1);
      if (input.retryOwner === "provider" || latest?.status === "pending") expect(retriesOf(plan)).toEqual([]);
    });
  });

  it("retries only usable payment methods, after now, in order, within preferred hours, before the final action", () => {
    each(({ input, zone }, plan) => {
      const retries = retriesOf(plan);
      const final = plan.find((s) => s.kind === "final_action");
      const preferred = input.policy.timing.preferredHours;
      retries.forEach((retry, i) => {
        if (preferred) expect(wall(retry.dueAt, zone).hour).toSatisfy((h: number) => h >= preferred[0] && h < preferred[1]);
        expect(input.paymentMethods.find((m) => m.id === retry.paymentMethodId)?.usable).toBe(true);
        expect(retry.dueAt.getTime()).toBeGreaterThanOrEqual(input.now.getTime());
        if (i > 0) expect(retry.dueAt.getTime()).toBeGreaterThan(retries[i - 1]!.dueAt.getTime());
        if (final) expect(retry.dueAt.getTime()).toBeLessThan(final.dueAt.getTime());
      });
    });
  });

  it("plans messages in the customer's daytime, never one already sent, with unique keys", () => {
    each(({ input, zone }, plan) => {
      const done = new Set(input.history.stepsDone.map((s) => s.key));
      expect(new Set(plan.map((s) => s.key)).size).toBe(plan.length);
      for (const step of plan) expect(done.has(step.key)).toBe(false);
      for (const message of plan.filter((s) => s.kind === "message")) {
        const hour = wall(message.dueAt, zone).hour;
        expect(hour >= 8 && hour < 21).toBe(true);
      }
    });
  });

  it("gives the same plan for the same input, whatever the system clock says", () => {
    vi.useFakeTimers();
    cases.slice(0, 60).forEach((c, i) => {
      vi.setSystemTime(new Date(Date.UTC(2030, 0, 1) + i * 7 * HOUR));
      const copy: PlannerInput = {
        ...c.input,
        policy: structuredClone(c.input.policy),
        history: structuredClone(c.input.history),
        paymentMethods: structuredClone(c.input.paymentMethods),
      };
      expect(planCase(copy)).toEqual(plans[i]);
    });
  });
});
