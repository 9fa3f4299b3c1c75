import { TZDate, tzOffset } from "@date-fns/tz";
import type { DayBucket } from "./priors";

/**
 * Calendar arithmetic in the customer's time zone: local parts of an instant, day-of-month
 * buckets, hourly candidate slots and moving a time into the local day. Every conversion
 * goes through the zone's offset at that instant, so a DST change never shifts a local hour.
 */

export const HOUR_MS = 3_600_000;

export type LocalParts = { year: number; month: number; day: number; weekday: number; hour: number; minute: number };

export function isValidTimeZone(timeZone: string): boolean {
  return timeZone.length > 0 && !Number.isNaN(tzOffset(timeZone, new Date(0)));
}

/** The customer's zone if it is a real one, else the workspace default, else UTC. */
export function resolveTimeZone(timeZone: string | null, fallback: string): string {
  if (timeZone && isValidTimeZone(timeZone)) return timeZone;
  return isValidTimeZone(fallback) ? fallback : "UTC";
}

export function localParts(date: Date, timeZone: string): LocalParts {
  const local = new TZDate(date.getTime(), timeZone);
  return {
    year: local.getFullYear(),
    month: local.getMonth() + 1,
    day: local.getDate(),
    weekday: local.getDay(),
    hour: local.getHours(),
    minute: local.getMinutes(),
  };
}

/** The instant when the wall clock in `timeZone` shows this date and hour (day may overflow). */
export function wallTime(timeZone: string, year: number, month: number, day: number, hour: number): Date {
  const civil = new Date(Date.UTC(year, month - 1, day));
  return new Date(new TZDate(civil.getUTCFullYear(), civil.getUTCMonth(), civil.getUTCDate(), hour, 0, 0, 0, timeZone).getTime());
}

const lastBusinessDays = new Map<string, number>();

/** Last Monday–Friday of a month (public holidays are not known here). */
export function lastBusinessDay(year: number, month: number): number {
  const key = `${year}-${month}`;
  const cached = lastBusinessDays.get(key);
  if (cached !== undefined) return cached;
  let day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  for (let weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay(); weekday === 0 || weekday === 6; weekday = (weekday + 6) % 7) day -= 1;
  lastBusinessDays.set(key, day);
  return day;
}

export function bucketOfDay(year: number, month: number, day: number): DayBucket {
  if (day <= 3) return "month_start";
  if (day >= 14 && day <= 16) return "mid_month";
  if (day >= 28 || day === lastBusinessDay(year, month)) return "month_end";
  return "other";
}

/** The day-of-month bucket of an instant, in the customer's zone. */
export function bucketOf(date: Date, timeZone: string): DayBucket {
  const { year, month, day } = localParts(date, timeZone);
  return bucketOfDay(year, month, day);
}

export type Slot = { at: Date; local: LocalParts; bucket: DayBucket };

/** Every local hour start in [from, to]. */
export function hourlySlots(from: Date, to: Date, timeZone: string): Slot[] {
  const offsetMs = tzOffset(timeZone, from) * 60_000;
  const first = Math.ceil((from.getTime() + offsetMs) / HOUR_MS) * HOUR_MS - offsetMs;
  const slots: Slot[] = [];
  for (let t = first; t <= to.getTime(); t += HOUR_MS) {
    const at = new Date(t);
    const local = localParts(at, timeZone);
    slots.push({ at, local, bucket: bucketOfDay(local.year, local.month, local.day) });
  }
  return slots;
}

export type LocalHours = { start: number; end: number };

export const inLocalHours = (hour: number, hours: LocalHours) => hour >= hours.start && hour < hours.end;

/**
 * `due` if its local hour is inside `hours`; else the next start of those hours, or when
 * that is past `notAfter`, the last hour before `due` that is inside them. Null when
 * neither fits in [notBefore, notAfter].
 */
export function moveIntoLocalHours(due: Date, timeZone: string, hours: LocalHours, bounds: { notBefore: Date; notAfter: Date }): Date | null {
  const fits = (at: Date) => at.getTime() >= bounds.notBefore.getTime() && at.getTime() <= bounds.notAfter.getTime();
  const { year, month, day, hour } = localParts(due, timeZone);
  if (inLocalHours(hour, hours)) return fits(due) ? due : null;
  const later = wallTime(timeZone, year, month, hour < hours.start ? day : day + 1, hours.start);
  if (fits(later)) return later;
  const earlier = wallTime(timeZone, year, month, hour < hours.start ? day - 1 : day, hours.end - 1);
  return fits(earlier) ? earlier : null;
}

export type GuardVerdict = { allowed: boolean; retryAfter: Date | null; reason?: string };

/**
 * The best slot the guard allows: slots are tried from the highest score (earliest first on
 * a tie); a refusal with retryAfter rules out every slot from the refused time up to it, and
 * one without retryAfter rules out every later slot.
 */
export function pickAllowedSlot<S extends { at: Date; score: number }>(
  slots: readonly S[],
  guard: (at: Date) => GuardVerdict,
): { slot: S; refusals: string[] } | null {
  const ranked = [...slots].sort((a, b) => b.score - a.score || a.at.getTime() - b.at.getTime());
  const refused: { from: number; until: number }[] = [];
  const refusals: string[] = [];
  for (const slot of ranked) {
    const t = slot.at.getTime();
    if (refused.some((r) => t >= r.from && t < r.until)) continue;
    const verdict = guard(slot.at);
    if (verdict.allowed) return { slot, refusals };
    const until = verdict.retryAfter === null ? Number.POSITIVE_INFINITY : Math.max(verdict.retryAfter.getTime(), t + 1);
    refused.push({ from: t, until });
    if (verdict.reason && !refusals.includes(verdict.reason)) refusals.push(verdict.reason);
  }
  return null;
}

const weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const pad = (n: number) => String(n).padStart(2, "0");

/** "Mon 2026-03-16 08:00 America/Los_Angeles", for reasons on the case timeline. */
export function describeLocal(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  return `${weekdayNames[p.weekday]} ${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)} ${timeZone}`;
}
