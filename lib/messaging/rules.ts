import type { MessageTemplate } from "@/lib/dunning/types";
import { localParts, wallTime } from "@/lib/dunning/slots";
import { isReminderTemplate } from "./copy/compose";

/**
 * The send-time rules as pure functions of `now` (lib/messaging/send.ts applies them to the
 * database's state): which messages are reminders, the local sending window, the weekly cap.
 */

/** Receipts and confirmations of what the customer did: sent after payment too, never capped. */
export const confirmationTemplates = ["payment_recovered", "installment_confirmed", "promise_confirmed", "help_received"] as const satisfies readonly MessageTemplate[];

/** Messages that ask for payment or action stop once the invoice is paid or the case closes. */
export const stopsWhenPaid = (template: MessageTemplate) => !(confirmationTemplates as readonly string[]).includes(template);

/**
 * Reminders (the copy's definition, lib/messaging/copy/compose.ts: payment failed, reminder,
 * final notice, action required, card expiring) count toward the weekly cap and carry the
 * unsubscribe link and headers; an unsubscribed recipient gets no more of them.
 */
export { isReminderTemplate };

export type SendWindow = { startHour: number; endHour: number };

/** `at` itself when its local hour is inside the window; else the window's next local start. */
export function nextSendTime(at: Date, timeZone: string, window: SendWindow): Date {
  const { year, month, day, hour } = localParts(at, timeZone);
  if (hour >= window.startHour && hour < window.endHour) return at;
  return wallTime(timeZone, year, month, hour < window.startHour ? day : day + 1, window.startHour);
}

export const CAP_PERIOD_MS = 7 * 24 * 3_600_000;

/**
 * With `max` reminders allowed per rolling 7 days: null when one more may go out now, else
 * the instant the oldest reminder that keeps the count at `max` leaves the window.
 */
export function capFreesAt(sentAt: readonly Date[], now: Date, max: number): Date | null {
  const recent = sentAt
    .map((d) => d.getTime())
    .filter((t) => t > now.getTime() - CAP_PERIOD_MS)
    .sort((a, b) => a - b);
  if (recent.length < max) return null;
  return new Date(recent[recent.length - max]! + CAP_PERIOD_MS);
}
