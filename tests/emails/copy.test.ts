import { describe, expect, it } from "vitest";
import { messageTemplates } from "@/lib/dunning/types";
import { copyByLocale } from "@/lib/messaging/copy";
import { fillPlaceholders } from "@/lib/messaging/copy/placeholders";
import { currencyExponent, formatAmount, formatCardBrand, formatDate } from "@/lib/messaging/format";
import { resolveFormatLocale, resolveMessageLocale } from "@/lib/messaging/locale";

describe("fillPlaceholders", () => {
  it("fills known placeholders and leaves unknown ones as typed", () => {
    expect(fillPlaceholders("Hi {customerName}, {amount} is due {tomorow}.", { customerName: "Ana", amount: "€5" })).toBe("Hi Ana, €5 is due {tomorow}.");
  });

  it("drops an optional segment whose placeholder has no value, and tidies the spacing", () => {
    const text = "your[[ {planName}]] subscription[[ (invoice {invoiceNumber})]] ends {dueDate} now";
    expect(fillPlaceholders(text, { planName: "Pro" })).toBe("your Pro subscription ends now");
    expect(fillPlaceholders(text, { invoiceNumber: "INV-1", dueDate: "today" })).toBe("your subscription (invoice INV-1) ends today now");
  });

  it("never substitutes inside a value", () => {
    expect(fillPlaceholders("Hello {customerName}", { customerName: "{amount} [[x]]", amount: "€5" })).toBe("Hello {amount} [[x]]");
  });
});

describe("locale resolution", () => {
  it("takes the customer's language, then the workspace default, then English", () => {
    expect(resolveMessageLocale("de-AT")).toBe("de");
    expect(resolveMessageLocale("fr_CA")).toBe("fr");
    expect(resolveMessageLocale("pt-BR", "es")).toBe("es");
    expect(resolveMessageLocale("pt-BR", "zz-invalid-!!")).toBe("en");
    expect(resolveMessageLocale(undefined, undefined)).toBe("en");
  });

  it("formats with the customer's region only when it matches the copy's language", () => {
    expect(resolveFormatLocale("de-AT", "de")).toBe("de-AT");
    expect(resolveFormatLocale("pt-BR", "en")).toBe("en");
    expect(resolveFormatLocale(null, "fr")).toBe("fr");
  });
});

describe("formatting", () => {
  it("reads minor units by the currency's exponent, as the billing providers send them", () => {
    expect([currencyExponent("jpy"), currencyExponent("KWD"), currencyExponent("EUR"), currencyExponent("HUF")]).toEqual([0, 3, 2, 2]);
    // Stripe sends HUF and ISK with two decimals though Intl displays none.
    expect(formatAmount(150000, "huf", "en")).toBe("HUF\u00a01,500");
    expect(formatAmount(150000, "isk", "en")).toBe("ISK\u00a01,500");
    expect(formatAmount(4900, "jpy", "ja")).toBe("￥4,900");
  });

  it("shows dates in the given zone and names card brands", () => {
    expect(formatDate(new Date("2026-03-29T00:30:00Z"), "Europe/Berlin", "en")).toBe("March 29, 2026");
    expect(formatDate("not a date", "Europe/Berlin", "en")).toBe("");
    expect(formatCardBrand("amex")).toBe("American Express");
    expect(formatCardBrand("cartes_bancaires")).toBe("Cartes Bancaires");
    expect(formatCardBrand("some new brand")).toBe("Some New Brand");
  });
});

describe("copy dictionaries", () => {
  const strings = (value: unknown): string[] =>
    typeof value === "string" ? [value] : value && typeof value === "object" ? Object.values(value).flatMap(strings) : [];

  it("cover every template in every language", () => {
    for (const copy of Object.values(copyByLocale)) expect(Object.keys(copy.templates).sort()).toEqual([...messageTemplates].sort());
  });

  it("keep French punctuation off the start of a line with no-break spaces", () => {
    const offenders = strings(copyByLocale.fr).filter((s) => / [:;?!»]/.test(s) || /« /.test(s));
    expect(offenders).toEqual([]);
  });

  it("address the customer formally", () => {
    expect(strings(copyByLocale.de).filter((s) => /\b(du|dich|dein\w*)\b/i.test(s))).toEqual([]);
    expect(strings(copyByLocale.fr).filter((s) => /\b(tu|ton|ta|tes)\b/i.test(s))).toEqual([]);
    expect(strings(copyByLocale.es).filter((s) => /\b(tú|tu|tus|tienes|puedes)\b/i.test(s))).toEqual([]);
  });
});
