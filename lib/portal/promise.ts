import { and, eq } from "drizzle-orm";
import { dunningSteps, portalRequests } from "@/drizzle/schema";
import type { Db } from "@/lib/db/client";
import { recordCaseEvent } from "@/lib/dunning/cases";
import { localParts, wallTime } from "@/lib/dunning/slots";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { holdPlannedSteps, lockLiveCase, pauseByCustomer } from "./case-state";
import { isOwing, type PortalCase } from "./context";
import { PART_LOCAL_HOUR } from "./installments";
import { notifyPortal } from "./notify";

/**
 * Promise to pay. The customer picks a date D (their calendar, tomorrow up to the policy's
 * maxDays). The case pauses and the policy's pending steps are held; two steps are added:
 * `promise:reminder`, a reminder email at 10:00 local the day before D, and `promise:retry`,
 * a retry at 10:00 local on D.
 *
 * The engine defers every step of a paused case and never lifts a pause by itself, and the
 * messaging rules skip reminders of paused cases; so the pause lasts until the first promise
 * step (pausedUntil = the reminder's time), and that step — routed by the engine to
 * runPromiseStep before its pause check — ends the pause itself (open, without re-planning,
 * so nothing but the promised retry is waiting), then runs as an ordinary message or retry.
 * A failed retry on D re-plans the case and dunning continues; a paid one closes it.
 */

export const PROMISE_PAUSE_REASON = "promise to pay";
export const PROMISE_REMINDER_KEY = "promise:reminder";
export const PROMISE_RETRY_KEY = "promise:retry";
/** A reminder due sooner than this after the promise is pointless (the customer just chose the date). */
const MIN_REMINDER_LEAD_MS = 3 * 3600_000;

const isoDate = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);

/** The dates the customer may promise: from tomorrow to today + maxDays, in their calendar. */
export function promiseWindow(now: Date, timeZone: string, maxDays: number): { from: string; to: string } {
  const { year, month, day } = localParts(now, timeZone);
  return { from: isoDate(year, month, day + 1), to: isoDate(year, month, day + maxDays) };
}

export type PromiseSchedule = { date: string; retryAt: Date; reminderAt: Date | null; pauseUntil: Date };

/** When the promise's reminder and retry run (10:00 local, DST-safe), or null when the date is outside the window. */
export function schedulePromise(date: string, now: Date, timeZone: string, maxDays: number): PromiseSchedule | null {
  const window = promiseWindow(now, timeZone, maxDays);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date < window.from || date > window.to || isoDate(+date.slice(0, 4), +date.slice(5, 7), +date.slice(8, 10)) !== date) return null;
  const [y, m, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const retryAt = wallTime(timeZone, y, m, d, PART_LOCAL_HOUR);
  const dayBefore = wallTime(timeZone, y, m, d - 1, PART_LOCAL_HOUR);
  const reminderAt = dayBefore.getTime() - now.getTime() >= MIN_REMINDER_LEAD_MS ? dayBefore : null;
  return { date, retryAt, reminderAt, pauseUntil: reminderAt ?? retryAt };
}

export async function promiseToPay(db: Db, p: PortalCase, date: string): Promise<PromiseSchedule> {
  const rules = p.policy.promiseToPay;
  if (!rules.allowed || !isOwing(p)) throw new AppError("conflict", "A promise to pay is not available for this invoice.");
  const now = p.clock.now();
  const schedule = schedulePromise(date, now, p.text.timeZone, rules.maxDays);
  if (!schedule) throw new AppError("invalid_input", "date: choose a date within the range offered.");
  const requestId = newId("preq");
  await db.transaction(async (tx) => {
    const c = await lockLiveCase(tx, p.c.workspaceId, p.customer.id, p.c.id);
    if (c.status === "paused") throw new AppError("conflict", "This case is paused; a promise cannot be added now.");
    const [earlier] = await tx.select({ id: portalRequests.id }).from(portalRequests).where(and(eq(portalRequests.caseId, c.id), eq(portalRequests.kind, "promise")));
    if (earlier) throw new AppError("conflict", "A payment date was already promised for this invoice.");
    await tx.insert(portalRequests).values({ id: requestId, workspaceId: c.workspaceId, caseId: c.id, customerId: p.customer.id, kind: "promise", promisedFor: date, createdAt: now, data: { retryAt: schedule.retryAt.toISOString() } });
    await holdPlannedSteps(tx, c.id, "promise:", `held: the customer promised to pay on ${date}`);
    await pauseByCustomer(tx, c, { until: schedule.pauseUntil, reason: `${PROMISE_PAUSE_REASON} on ${date}` }, now);
    const base = { workspaceId: c.workspaceId, caseId: c.id, status: "pending" as const };
    await tx.insert(dunningSteps).values([
      ...(schedule.reminderAt
        ? [{ ...base, id: newId("step"), kind: "message" as const, key: PROMISE_REMINDER_KEY, dueAt: schedule.reminderAt, template: "reminder", channel: "email", tone: "neutral", reason: `the day before the promised date ${date}` }]
        : []),
      { ...base, id: newId("step"), kind: "retry" as const, key: PROMISE_RETRY_KEY, dueAt: schedule.retryAt, reason: `the customer promised to pay on ${date}` },
    ]);
    await recordCaseEvent(tx, c, now, "promise_made", `The customer promised to pay on ${date}: ${schedule.reminderAt ? `reminder ${schedule.reminderAt.toISOString()}, ` : ""}retry ${schedule.retryAt.toISOString()}.`, {
      requestId,
      date,
    });
  });
  await notifyPortal(db, { kind: "promise_confirmed", workspaceId: p.c.workspaceId, caseId: p.c.id, customerId: p.customer.id, requestId, promisedFor: date, retryAt: schedule.retryAt, at: now });
  return schedule;
}
