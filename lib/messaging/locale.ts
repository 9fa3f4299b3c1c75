/** Languages the message copy is written in (lib/messaging/copy/<locale>.ts). */
export const messageLocales = ["en", "de", "fr", "es"] as const;
export type MessageLocale = (typeof messageLocales)[number];

const isMessageLocale = (value: string): value is MessageLocale => (messageLocales as readonly string[]).includes(value);

/** The language part of a BCP 47 tag ("de-AT" → "de", "pt_BR" → "pt"), or null for junk. */
function languageOf(tag: string | null | undefined): string | null {
  const trimmed = tag?.trim().replace(/_/g, "-");
  if (!trimmed) return null;
  try {
    return new Intl.Locale(trimmed).language.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * The language a message is written in: the customer's locale from the provider when we
 * have copy for its language (de-AT → de), else the workspace default, else English.
 */
export function resolveMessageLocale(customerLocale: string | null | undefined, workspaceDefault?: string | null): MessageLocale {
  for (const candidate of [customerLocale, workspaceDefault]) {
    const language = languageOf(candidate);
    if (language && isMessageLocale(language)) return language;
  }
  return "en";
}

/**
 * The tag numbers and dates are formatted with. A regional variant of the chosen language
 * keeps its own conventions (de-AT writes "€ 49,00", de writes "49,00 €"); anything else
 * formats like the language the copy is written in, so words and numbers agree.
 */
export function resolveFormatLocale(customerLocale: string | null | undefined, messageLocale: MessageLocale): string {
  const tag = customerLocale?.trim().replace(/_/g, "-");
  if (!tag || languageOf(tag) !== messageLocale) return messageLocale;
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? messageLocale;
  } catch {
    return messageLocale;
  }
}
