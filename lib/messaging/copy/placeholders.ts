/**
 * Placeholders in copy and operator overrides: "{amount}" is replaced by its value, and an
 * optional segment "[[ for invoice {invoiceNumber}]]" disappears when a placeholder inside
 * it has no value, so copy reads naturally whether or not we know the plan or the date.
 */
export const placeholderNames = [
  "customerName",
  "companyName",
  "senderName",
  "planName",
  "invoiceNumber",
  "amount",
  "dueDate",
  "nextRetryDate",
  "paidDate",
  "promiseDate",
  "card",
  "cardBrand",
  "cardLast4",
  "installmentCount",
  "portalUrl",
  "supportEmail",
] as const;
export type PlaceholderName = (typeof placeholderNames)[number];
export type PlaceholderValues = Partial<Record<PlaceholderName, string>>;

const known = new Set<string>(placeholderNames);
const token = /\[\[([\s\S]*?)\]\]|\{(\w+)\}/g;
const inner = /\{(\w+)\}/g;

/**
 * Substitutes in one pass, so a value is never scanned again (a customer named "{amount}"
 * stays "{amount}"). A known placeholder without a value becomes empty; an unknown one
 * (a typo in an override) stays visible as typed, so the operator sees it in the preview.
 */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  const valueOf = (name: string): string | undefined => (known.has(name) ? values[name as PlaceholderName] || undefined : undefined);
  const filled = text.replace(token, (match, segment: string | undefined, name: string | undefined) => {
    if (segment !== undefined) {
      const missing = [...segment.matchAll(inner)].some(([, n]) => known.has(n!) && !valueOf(n!));
      return missing ? "" : segment.replace(inner, (m, n: string) => (known.has(n) ? valueOf(n)! : m));
    }
    return known.has(name!) ? (valueOf(name!) ?? "") : match;
  });
  return filled.replace(/ {2,}/g, " ").trim();
}
