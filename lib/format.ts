/** Dates are stored in UTC and shown in the viewer's (or customer's) zone. */
export function formatDateTime(date: Date, timeZone: string, locale = "en"): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
}

/** Money is integer minor units with a currency. */
export function formatMoney(amountMinor: number, currency: string, locale = "en"): string {
  const formatter = new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase() });
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(amountMinor / 10 ** digits);
}
