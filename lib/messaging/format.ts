/**
 * Amounts and dates as the customer reads them: Intl for the locale, dates in the
 * customer's time zone. Pure; nothing here reads the clock or the environment.
 */

/**
 * How many minor units make one major unit, per currency. Amounts arrive as the billing
 * providers send them: ISO 4217 minor units, except that Stripe sends HUF and ISK with two
 * decimals (ISO gives ISK none, and CLDR displays HUF without decimals). So the exponent is
 * not taken from Intl, whose digits are display conventions, not storage units.
 */
const zeroDecimal = new Set(["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"]);
const threeDecimal = new Set(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]);

/** The currencies (upper case) whose minor unit is not the hundredth, by exponent: for SQL that compares amounts across currencies. */
export const currenciesByExponent = { 0: [...zeroDecimal], 3: [...threeDecimal] } as const;

export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (zeroDecimal.has(code)) return 0;
  if (threeDecimal.has(code)) return 3;
  return 2;
}

/** 4900 EUR in "de" → "49,00 €"; 4900 JPY in "en" → "¥4,900"; 1250 KWD → "KWD 1.250". */
export function formatAmount(amountMinor: number, currency: string, locale: string): string {
  const code = currency.toUpperCase();
  const formatter = new Intl.NumberFormat(locale, { style: "currency", currency: code });
  return formatter.format(amountMinor / 10 ** currencyExponent(code));
}

/** An IANA zone Intl accepts, else UTC: a bad zone from a provider must not stop a message. */
export function safeTimeZone(timeZone: string | null | undefined): string {
  if (!timeZone) return "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return timeZone;
  } catch {
    return "UTC";
  }
}

/** The calendar date in the customer's zone: 2026-03-01T00:30Z in America/Los_Angeles is 28 February. */
export function formatDate(date: Date | string, timeZone: string, locale: string): string {
  const value = typeof date === "string" ? new Date(date) : date;
  if (Number.isNaN(value.getTime())) return "";
  return new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: safeTimeZone(timeZone) }).format(value);
}

const brandNames: Record<string, string> = {
  visa: "Visa",
  mastercard: "Mastercard",
  amex: "American Express",
  american_express: "American Express",
  discover: "Discover",
  diners: "Diners Club",
  diners_club: "Diners Club",
  jcb: "JCB",
  unionpay: "UnionPay",
  cartes_bancaires: "Cartes Bancaires",
  eftpos_au: "eftpos",
  maestro: "Maestro",
};

/** Provider brand codes ("amex", "mastercard") as people write them. */
export function formatCardBrand(brand: string): string {
  const key = brand.trim().toLowerCase().replace(/[\s-]+/g, "_");
  if (brandNames[key]) return brandNames[key];
  return key
    .split("_")
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join(" ");
}
