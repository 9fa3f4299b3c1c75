import { TZDate } from "@date-fns/tz";
import { emptyStats, type NetworkGuard, type PlannedStep, type PlannerInput } from "@/lib/dunning/planner";
import { defaultPolicy } from "@/lib/dunning/policy";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export const allowAll: NetworkGuard = () => ({ allowed: true, retryAfter: null });

/** A case opened on Wednesday 2026-03-04 12:00 UTC, insufficient funds, one usable default card. */
export function plannerInput(overrides: Partial<PlannerInput> = {}): PlannerInput {
  const opened = overrides.caseOpenedAt ?? new Date("2026-03-04T12:00:00Z");
  return {
    policy: defaultPolicy,
    caseOpenedAt: opened,
    now: opened,
    customer: { timezone: "America/Los_Angeles", defaultTimezone: "UTC" },
    history: { attempts: [], stepsDone: [] },
    lastCategory: "insufficient_funds",
    paymentMethods: [{ id: "pm_default", isDefault: true, usable: true }],
    retryOwner: "dunwell",
    providerNextAttemptAt: null,
    stats: emptyStats,
    networkGuard: allowAll,
    ...overrides,
  };
}

export const retriesOf = (steps: PlannedStep[]) => steps.filter((s) => s.kind === "retry");

/** Local wall-clock parts, computed independently of the planner's own helpers. */
export function wall(date: Date, timeZone: string) {
  const t = new TZDate(date.getTime(), timeZone);
  return { year: t.getFullYear(), month: t.getMonth() + 1, day: t.getDate(), weekday: t.getDay(), hour: t.getHours(), minute: t.getMinutes() };
}

/** Deterministic PRNG (mulberry32) so generated cases are the same on every run. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
export type Prng = ReturnType<typeof prng>;
