import { formatAmount } from "@/lib/messaging/format";

/** Dates are stored in UTC and shown in the viewer's (or customer's) zone. */
export function formatDateTime(date: Date, timeZone: string, locale = "en"): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
}

/**
 * Money is integer minor units with a currency. The exponent follows the providers' (Stripe's)
 * minor units, not Intl's display rules (HUF and ISK are two-decimal at Stripe).
 */
export function formatMoney(amountMinor: number, currency: string, locale = "en"): string {
  return formatAmount(amountMinor, currency, locale);
}
