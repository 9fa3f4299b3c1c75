import { localParts, wallTime } from "@/lib/dunning/slots";

/**
 * Installment options within the policy's bounds, as pure functions of the balance, `now`
 * and the customer's time zone. Parts are evenly spaced calendar days apart (monthly when
 * the span allows, closer otherwise), charged at 10:00 local time so a DST change never
 * moves a part to another day; the first part is charged at once. Amounts sum exactly to
 * the balance: every part gets the floor share and the first part also the remainder.
 */

export type InstallmentBounds = { allowed: boolean; maxParts: number; minPartMinor: number; maxSpanDays: number };
export type ScheduledPart = { n: number; dueAt: Date; amountMinor: number };
export type InstallmentOption = { parts: number; intervalDays: number; schedule: ScheduledPart[] };

/** Later parts are charged at this local hour. */
export const PART_LOCAL_HOUR = 10;
/** Parts are at most a month apart. */
export const MAX_INTERVAL_DAYS = 30;

/** [first, rest, rest, …]: floor(total / parts) each, the remainder cents on the first. */
export function splitAmount(totalMinor: number, parts: number): number[] {
  if (!Number.isInteger(totalMinor) || totalMinor <= 0) throw new RangeError("totalMinor must be a positive whole number of minor units");
  if (!Number.isInteger(parts) || parts < 1 || parts > totalMinor) throw new RangeError("parts must be between 1 and totalMinor");
  const share = Math.floor(totalMinor / parts);
  const remainder = totalMinor - share * parts;
  return Array.from({ length: parts }, (_, i) => (i === 0 ? share + remainder : share));
}

/** The instant of local PART_LOCAL_HOUR on the calendar day `days` after `from`'s local date. */
export function localDayAfter(from: Date, days: number, timeZone: string): Date {
  const { year, month, day } = localParts(from, timeZone);
  return wallTime(timeZone, year, month, day + days, PART_LOCAL_HOUR);
}

export function intervalFor(parts: number, maxSpanDays: number): number {
  return Math.min(MAX_INTERVAL_DAYS, Math.floor(maxSpanDays / (parts - 1)));
}

export function scheduleFor(balanceMinor: number, parts: number, intervalDays: number, now: Date, timeZone: string): ScheduledPart[] {
  return splitAmount(balanceMinor, parts).map((amountMinor, i) => ({
    n: i + 1,
    dueAt: i === 0 ? now : localDayAfter(now, i * intervalDays, timeZone),
    amountMinor,
  }));
}

/** Every plan of 2..maxParts parts the bounds admit (none when installments are not allowed). */
export function installmentOptions(input: { balanceMinor: number; bounds: InstallmentBounds; now: Date; timeZone: string }): InstallmentOption[] {
  const { balanceMinor, bounds, now, timeZone } = input;
  if (!bounds.allowed || !Number.isInteger(balanceMinor) || balanceMinor <= 0) return [];
  const options: InstallmentOption[] = [];
  for (let parts = 2; parts <= bounds.maxParts; parts++) {
    const intervalDays = intervalFor(parts, bounds.maxSpanDays);
    // Every part, the smallest included, must reach the minimum; parts must be at least a day apart.
    if (intervalDays < 1 || parts > balanceMinor || Math.floor(balanceMinor / parts) < Math.max(1, bounds.minPartMinor)) continue;
    options.push({ parts, intervalDays, schedule: scheduleFor(balanceMinor, parts, intervalDays, now, timeZone) });
  }
  return options;
}
