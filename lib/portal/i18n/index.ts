import { formatAmount, formatCardBrand, formatDate } from "@/lib/messaging/format";
import { resolveFormatLocale, resolveMessageLocale } from "@/lib/messaging/locale";
import { de } from "./de";
import { en, type PortalCopy } from "./en";
import { es } from "./es";
import { fr } from "./fr";

/**
 * The portal's words in en, de, fr and es, chosen like the emails' (the customer's locale
 * from the provider, else the workspace default, else English), with amounts and dates
 * through Intl in the customer's time zone.
 */

export type { PortalCopy };
export const portalLocales = ["en", "de", "fr", "es"] as const;
export type PortalLocale = (typeof portalLocales)[number];

const dictionaries: Record<PortalLocale, PortalCopy> = { en, de, fr, es };

export type PortalText = {
  locale: PortalLocale;
  /** The BCP 47 tag numbers and dates are formatted with (de-AT keeps its conventions). */
  formatLocale: string;
  timeZone: string;
  t: PortalCopy;
  money(amountMinor: number, currency: string): string;
  date(date: Date): string;
  /** A calendar date (YYYY-MM-DD) as the customer reads it, whatever the zone. */
  day(isoDate: string): string;
  card(brand: string | null, last4: string | null): string | null;
};

export function portalText(customerLocale: string | null | undefined, workspaceLocale: string | null | undefined, timeZone: string): PortalText {
  const locale = resolveMessageLocale(customerLocale, workspaceLocale);
  const formatLocale = resolveFormatLocale(customerLocale, locale);
  const t = dictionaries[locale];
  return {
    locale,
    formatLocale,
    timeZone,
    t,
    money: (amountMinor, currency) => formatAmount(amountMinor, currency, formatLocale),
    date: (date) => formatDate(date, timeZone, formatLocale),
    day: (isoDate) => formatDate(new Date(`${isoDate}T00:00:00Z`), "UTC", formatLocale),
    card: (brand, last4) => (brand && last4 ? t.attempt.card(formatCardBrand(brand), last4) : null),
  };
}

export const copyFor = (locale: PortalLocale): PortalCopy => dictionaries[locale];
