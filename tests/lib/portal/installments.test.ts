import { describe, expect, it } from "vitest";
import { localParts } from "@/lib/dunning/slots";
import { installmentOptions, localDayAfter, splitAmount, type InstallmentBounds } from "@/lib/portal/installments";

const bounds = (b: Partial<InstallmentBounds> = {}): InstallmentBounds => ({ allowed: true, maxParts: 3, minPartMinor: 1000, maxSpanDays: 60, ...b });
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe("installment math", () => {
  it("splits exactly, with the remainder cents on the first part", () => {
    expect(splitAmount(10000, 3)).toEqual([3334, 3333, 3333]);
    expect(splitAmount(4900, 2)).toEqual([2450, 2450]);
    expect(splitAmount(1001, 4)).toEqual([251, 250, 250, 250]);
    expect(splitAmount(7, 7)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    for (let total = 1; total <= 500; total += 7) {
      for (let parts = 1; parts <= Math.min(12, total); parts++) {
        const split = splitAmount(total, parts);
        expect(sum(split)).toBe(total);
        expect(split[0]! - split[split.length - 1]!).toBeLessThan(parts);
        expect(new Set(split.slice(1)).size).toBeLessThanOrEqual(1);
      }
    }
    expect(() => splitAmount(0, 2)).toThrow(RangeError);
    expect(() => splitAmount(10.5, 2)).toThrow(RangeError);
    expect(() => splitAmount(3, 4)).toThrow(RangeError);
  });

  it("offers 2..maxParts parts within the bounds: each part at least the minimum, the last within the span", () => {
    const now = new Date("2026-03-02T08:00:00Z");
    const options = installmentOptions({ balanceMinor: 39000, bounds: bounds({ maxParts: 4, maxSpanDays: 60 }), now, timeZone: "Europe/Paris" });
    expect(options.map((o) => o.parts)).toEqual([2, 3, 4]);
    for (const option of options) {
      expect(sum(option.schedule.map((s) => s.amountMinor))).toBe(39000);
      expect(option.schedule.every((s) => s.amountMinor >= 1000)).toBe(true);
      expect(option.schedule[0]!.dueAt).toEqual(now);
      const last = option.schedule.at(-1)!.dueAt;
      expect(last.getTime() - now.getTime()).toBeLessThanOrEqual(60 * 86_400_000 + 86_400_000);
    }
    // Monthly when the span allows; closer when it does not (4 parts in 60 days: every 20 days).
    expect(options.map((o) => o.intervalDays)).toEqual([30, 30, 20]);

    // 29.00 in parts of at least 10.00: two parts (14.50) yes, three (9.66) no.
    expect(installmentOptions({ balanceMinor: 2900, bounds: bounds(), now, timeZone: "UTC" }).map((o) => o.parts)).toEqual([2]);
    expect(installmentOptions({ balanceMinor: 1999, bounds: bounds(), now, timeZone: "UTC" })).toEqual([]);
    expect(installmentOptions({ balanceMinor: 39000, bounds: bounds({ allowed: false }), now, timeZone: "UTC" })).toEqual([]);
    // A span of 1 day fits two parts a day apart, never three.
    expect(installmentOptions({ balanceMinor: 39000, bounds: bounds({ maxSpanDays: 1 }), now, timeZone: "UTC" }).map((o) => [o.parts, o.intervalDays])).toEqual([[2, 1]]);
  });

  it("puts later parts at 10:00 local time on their calendar day, across DST changes", () => {
    // Berlin moves to summer time on 29 March 2026; New York on 8 March; Sydney leaves it on 5 April.
    const cases = [
      // Parts 2 and 3 fall on either side of the change: the same local hour is another UTC hour.
      { zone: "Europe/Berlin", now: "2026-03-15T22:30:00Z", utcHours: [9, 8] },
      { zone: "America/New_York", now: "2026-02-25T12:00:00Z", utcHours: [15, 14] },
      { zone: "Australia/Sydney", now: "2026-03-25T02:00:00Z", utcHours: [23, 0] },
    ];
    for (const { zone, now, utcHours } of cases) {
      const start = new Date(now);
      const [option] = installmentOptions({ balanceMinor: 30000, bounds: bounds({ maxParts: 3, maxSpanDays: 21 }), now: start, timeZone: zone }).filter((o) => o.parts === 3);
      expect(option!.intervalDays).toBe(10);
      const startDay = localParts(start, zone);
      option!.schedule.slice(1).forEach((part, i) => {
        const local = localParts(part.dueAt, zone);
        expect(local.hour, `${zone} part ${part.n}`).toBe(10);
        const days = Math.round((Date.UTC(local.year, local.month - 1, local.day) - Date.UTC(startDay.year, startDay.month - 1, startDay.day)) / 86_400_000);
        expect(days).toBe((i + 1) * 10);
      });
      expect(option!.schedule.slice(1).map((p) => p.dueAt.getUTCHours())).toEqual(utcHours);
    }
    // The local day, not 24-hour steps: 23:30 on 28 March in Berlin plus one day is 10:00 on 29 March (summer time).
    expect(localDayAfter(new Date("2026-03-28T22:30:00Z"), 1, "Europe/Berlin").toISOString()).toBe("2026-03-29T08:00:00.000Z");
  });
});
