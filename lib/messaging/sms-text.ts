import type { MessageContent } from "./copy/compose";
import type { MessageLocale } from "./locale";

/**
 * The SMS text of a message, from the same localized copy as its email: the brand, the
 * subject as a sentence, the button's words and the portal link, and on reminders how to opt
 * out. One segment (160 GSM-7 characters, or 70 when a character needs UCS-2) when possible:
 * the richest wording that needs the fewest segments wins. A signed portal link alone can be
 * longer than a segment; then the text takes as few as it can. Pure.
 */

/** GSM 03.38: the basic set costs one septet, the extension table (escape + char) two. */
const gsmBasic = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const gsmExtended = new Set("^{}\\[~]|€\f");

/** Typography that has a plain GSM twin; a phone shows the twin just as well. */
const plainTwins: [RegExp, string][] = [
  [/[\u00a0\u202f\u2007\u2009]/g, " "],
  [/[\u2018\u2019\u201a\u2032]/g, "'"],
  [/[\u201c\u201d\u201e\u00ab\u00bb\u2033]/g, '"'],
  [/[\u2013\u2014\u2212]/g, "-"],
  [/\u2026/g, "..."],
  [/\u2022/g, "*"],
];

export function plainTypography(text: string): string {
  return plainTwins.reduce((t, [pattern, twin]) => t.replace(pattern, twin), text);
}

/** Accented letters GSM-7 lacks (ê, ç, í…) as their base letter; only used when it saves a segment. */
function transliterate(text: string): string {
  return [...text].map((c) => (gsmBasic.has(c) || gsmExtended.has(c) ? c : c.normalize("NFD").replace(/[\u0300-\u036f]/g, ""))).join("");
}

/** Septets in GSM-7, or null when a character needs UCS-2. */
export function gsmLength(text: string): number | null {
  let septets = 0;
  for (const c of text) {
    if (gsmBasic.has(c)) septets += 1;
    else if (gsmExtended.has(c)) septets += 2;
    else return null;
  }
  return septets;
}

/** How many SMS segments a text takes (a long message is split into 153/67-unit parts). */
export function smsSegments(text: string): number {
  const gsm = gsmLength(text);
  if (gsm !== null) return gsm <= 160 ? 1 : Math.ceil(gsm / 153);
  return text.length <= 70 ? 1 : Math.ceil(text.length / 67);
}

/** How to opt out, as carriers expect on reminders (Twilio honours the keyword itself); the short form when space is tight. */
const optOutLines: Record<MessageLocale, readonly [string, string]> = {
  en: ["Reply STOP to opt out.", "Opt out: STOP"],
  de: ["Antworten Sie STOP zum Abmelden.", "Abmelden: STOP"],
  fr: ["Répondez STOP pour vous désabonner.", "Désabonnement: STOP"],
  es: ["Responde STOP para darte de baja.", "Baja: STOP"],
};

const asSentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

export function composeSmsText(content: MessageContent, options: { reminder: boolean }): string {
  const brand = content.brand.name.trim();
  const subject = asSentence(content.subject.trim());
  const button = content.blocks.button?.trim();
  const stops = options.reminder ? optOutLines[content.locale].map((line) => ` ${line}`) : [""];
  const wordings = stops.flatMap((stop) => [
    ...(button ? [`${brand}: ${subject} ${button}: ${content.portalUrl}${stop}`] : []),
    `${brand}: ${subject} ${content.portalUrl}${stop}`,
  ]);
  const candidates = wordings.flatMap((w) => {
    const plain = plainTypography(w);
    return [plain, transliterate(plain)];
  });
  const fewest = Math.min(...candidates.map(smsSegments));
  return candidates.find((c) => smsSegments(c) === fewest)!;
}
