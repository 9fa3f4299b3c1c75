import type { DeclineCategory, MessageTemplate, Tone } from "@/lib/dunning/types";
import { AppError } from "@/lib/errors";
import { formatAmount, formatCardBrand, formatDate, safeTimeZone } from "../format";
import { resolveFormatLocale, resolveMessageLocale, type MessageLocale } from "../locale";
import { copyByLocale } from "./index";
import { fillPlaceholders, type PlaceholderValues } from "./placeholders";
import { messageBlocks, type CopyCategory, type DetailLabel, type LocaleCopy, type MessageBlock, type Toned } from "./types";

type DateInput = Date | string;

export type MessageBranding = {
  name: string;
  logoUrl?: string | null;
  /** "#rrggbb" or "#rgb"; anything else falls back to the default colour. */
  color?: string | null;
  senderName?: string | null;
  supportEmail?: string | null;
  postalAddress?: string | null;
};

export type MessageData = {
  customerName?: string | null;
  planName?: string | null;
  invoiceNumber?: string | null;
  /** The amount this message is about (the open balance, the installment, the payment received). */
  amountMinor: number;
  currency: string;
  /** When payment is due; for card_expiring the next renewal; for installments the installment's date. */
  dueDate?: DateInput | null;
  nextRetryAt?: DateInput | null;
  paidAt?: DateInput | null;
  cardBrand?: string | null;
  cardLast4?: string | null;
  portalUrl: string;
  unsubscribeUrl?: string | null;
  installments?: { dueAt: DateInput; amountMinor: number }[];
  promiseDate?: DateInput | null;
};

export type MessageOverrides = { subject?: string | null; blocks?: Record<string, string> | null };

export type MessageInput = {
  template: MessageTemplate;
  /** The customer's locale from the provider (BCP 47), if known. */
  locale?: string | null;
  /** The workspace's default locale, used when the customer's has no copy. */
  defaultLocale?: string | null;
  /** The customer's IANA time zone; dates are shown as their local calendar date. */
  timezone?: string | null;
  /** Defaults to the template's own tone (payment_failed friendly, reminder firm…). */
  tone?: Tone | null;
  declineCategory?: DeclineCategory | CopyCategory | null;
  branding: MessageBranding;
  data: MessageData;
  /** The operator's subject and block overrides for this template and locale. */
  overrides?: MessageOverrides | null;
};

/** Everything a template needs, already worded, formatted and substituted. */
export type MessageContent = {
  template: MessageTemplate;
  locale: MessageLocale;
  subject: string;
  blocks: Partial<Record<MessageBlock, string>>;
  portalUrl: string;
  details: { label: string; value: string }[];
  schedule: { title: string; dateLabel: string; amountLabel: string; rows: { date: string; amount: string }[] } | null;
  footer: { about: string; buttonFallback: string; postalAddress: string | null; unsubscribe: { label: string; url: string } | null };
  brand: { name: string; logoUrl: string | null; color: string; buttonTextColor: string; senderName: string };
};

type TemplateSpec = {
  tone: Tone;
  /** "input": the copy follows the failure's category; a category: always that one. */
  decline?: "input" | CopyCategory;
  urgency?: boolean;
  /** Reminder-type messages: unsubscribable (footer link and List-Unsubscribe). */
  reminder?: boolean;
  details: DetailLabel[];
};

const specs: Record<MessageTemplate, TemplateSpec> = {
  payment_failed: { tone: "friendly", decline: "input", urgency: true, reminder: true, details: ["amountDue", "invoice", "plan", "card", "nextRetry"] },
  reminder: { tone: "firm", decline: "input", urgency: true, reminder: true, details: ["amountDue", "invoice", "plan", "dueDate"] },
  final_notice: { tone: "final", decline: "input", urgency: true, reminder: true, details: ["amountDue", "invoice", "plan", "dueDate"] },
  action_required: { tone: "friendly", decline: "authentication_required", urgency: true, reminder: true, details: ["amountDue", "invoice", "plan", "dueDate"] },
  card_expiring: { tone: "friendly", reminder: true, details: ["card", "plan", "renewalDate"] },
  payment_recovered: { tone: "friendly", details: ["amountPaid", "invoice", "plan", "card", "paidOn"] },
  installment_confirmed: { tone: "friendly", details: ["total", "invoice", "card"] },
  installment_upcoming: { tone: "friendly", details: ["installment", "dueDate", "card"] },
  installment_failed: { tone: "neutral", decline: "input", urgency: true, details: ["installment", "dueDate", "card"] },
  promise_confirmed: { tone: "friendly", details: ["amountDue", "promiseDate", "invoice"] },
  help_received: { tone: "friendly", details: ["invoice", "amountDue"] },
};

/** Reminders may be unsubscribed from; receipts and confirmations never carry the option. */
export const isReminderTemplate = (template: MessageTemplate): boolean => specs[template].reminder === true;

/** The engine's categories in the copy's terms: a hard decline needs a new card like an expired one. */
export function toCopyCategory(category: DeclineCategory | CopyCategory | null | undefined): CopyCategory {
  switch (category) {
    case "insufficient_funds":
    case "card_update_needed":
    case "authentication_required":
      return category;
    case "hard":
      return "card_update_needed";
    default:
      return "generic";
  }
}

const tones: readonly Tone[] = ["friendly", "neutral", "firm", "final"];
function pick(text: Toned | undefined, tone: Tone, fallback: Tone): string {
  if (text === undefined || typeof text === "string") return text ?? "";
  return text[tone] ?? text[fallback] ?? tones.map((t) => text[t]).find((t) => t !== undefined) ?? "";
}

const defaultColor = "#2563eb";
const hexColor = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** White or near-black, whichever reads better on the brand colour (WCAG relative luminance). */
function textColorOn(hex: string): string {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d) : [hex.slice(1, 3), hex.slice(3, 5), hex.slice(5, 7)];
  const [r, g, b] = digits.map((d) => {
    const c = parseInt(d, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return luminance > 0.4 ? "#111827" : "#ffffff";
}

function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.toString() : null;
  } catch {
    return null;
  }
}

function cardPhrase(copy: LocaleCopy, brand: string | undefined, last4: string | undefined): string {
  const pattern = brand && last4 ? copy.card.full : last4 ? copy.card.lastFour : brand ? copy.card.brand : copy.card.none;
  return fillPlaceholders(pattern, { cardBrand: brand, cardLast4: last4 });
}

/** Words, numbers and dates for one message; pure, so previews and tests use it directly. */
export function composeMessage(input: MessageInput): MessageContent {
  const { template, branding, data } = input;
  const spec = specs[template];
  const portalUrl = httpUrl(data.portalUrl);
  if (!portalUrl) throw new AppError("invalid_input", `A message needs an http(s) portal link; got "${data.portalUrl}".`);

  const locale = resolveMessageLocale(input.locale, input.defaultLocale);
  const formatLocale = resolveFormatLocale(input.locale, locale);
  const timeZone = safeTimeZone(input.timezone);
  const copy = copyByLocale[locale];
  const tone = input.tone ?? spec.tone;
  const category = spec.decline === "input" ? toCopyCategory(input.declineCategory) : spec.decline;
  const decline = category ? copy.decline[category] : undefined;

  const money = (minor: number) => formatAmount(minor, data.currency, formatLocale);
  const date = (value: DateInput | null | undefined) => (value ? formatDate(value, timeZone, formatLocale) || undefined : undefined);
  const cardBrand = data.cardBrand?.trim() ? formatCardBrand(data.cardBrand) : undefined;
  const cardLast4 = data.cardLast4?.trim() || undefined;
  const installments = data.installments ?? [];
  const senderName = branding.senderName?.trim() || branding.name;

  const values: PlaceholderValues = {
    customerName: data.customerName?.trim() || undefined,
    companyName: branding.name,
    senderName,
    planName: data.planName?.trim() || undefined,
    invoiceNumber: data.invoiceNumber?.trim() || undefined,
    amount: money(data.amountMinor),
    dueDate: date(data.dueDate),
    nextRetryDate: date(data.nextRetryAt),
    paidDate: date(data.paidAt),
    promiseDate: date(data.promiseDate),
    card: cardPhrase(copy, cardBrand, cardLast4),
    cardBrand,
    cardLast4,
    installmentCount: installments.length > 0 ? String(installments.length) : undefined,
    portalUrl,
    supportEmail: branding.supportEmail?.trim() || undefined,
  };

  const words = copy.templates[template];
  const defaults: Record<MessageBlock, string> = {
    preview: pick(words.preview, tone, spec.tone),
    heading: pick(words.heading, tone, spec.tone),
    greeting: copy.greeting,
    intro: pick(words.intro, tone, spec.tone),
    reason: spec.decline === "input" && decline ? decline.reason : "",
    body: pick(words.body, tone, spec.tone),
    action: decline ? pick(decline.action, tone, spec.tone) : "",
    urgency: spec.urgency ? copy.urgency[tone] : "",
    button: decline?.button ?? words.button,
    closing: copy.closing,
    signoff: copy.signoff,
  };
  const overrides = input.overrides?.blocks ?? {};
  const blocks: Partial<Record<MessageBlock, string>> = {};
  for (const name of messageBlocks) {
    const override = overrides[name];
    const text = fillPlaceholders(override?.trim() ? override : defaults[name], values);
    if (text) blocks[name] = text;
  }
  const subjectOverride = input.overrides?.subject;
  // One line whatever the data holds; no-break spaces (French "Rappel :", "49,00 €") stay.
  const subject = fillPlaceholders(subjectOverride?.trim() ? subjectOverride : pick(words.subject, tone, spec.tone), values)
    .replace(/[\r\n\t\v\f\u2028\u2029]+/g, " ")
    .replace(/ {2,}/g, " ");

  const detailValues: Record<DetailLabel, string | undefined> = {
    amountDue: values.amount,
    amountPaid: values.amount,
    total: values.amount,
    installment: values.amount,
    invoice: values.invoiceNumber,
    plan: values.planName,
    card: cardLast4 ? `${cardBrand ?? ""} •••• ${cardLast4}`.trim() : cardBrand,
    dueDate: values.dueDate,
    renewalDate: values.dueDate,
    nextRetry: values.nextRetryDate,
    paidOn: values.paidDate,
    promiseDate: values.promiseDate,
  };
  const details = spec.details.flatMap((key) => (detailValues[key] ? [{ label: copy.labels[key], value: detailValues[key] }] : []));

  const color = branding.color && hexColor.test(branding.color) ? branding.color : defaultColor;
  const unsubscribeUrl = spec.reminder ? httpUrl(data.unsubscribeUrl) : null;
  return {
    template,
    locale,
    subject,
    blocks,
    portalUrl,
    details,
    schedule:
      installments.length > 0
        ? { title: copy.schedule.title, dateLabel: copy.schedule.date, amountLabel: copy.schedule.amount, rows: installments.map((i) => ({ date: date(i.dueAt) ?? "", amount: money(i.amountMinor) })) }
        : null,
    footer: {
      about: fillPlaceholders(copy.footer.about, values),
      buttonFallback: copy.footer.buttonFallback,
      postalAddress: branding.postalAddress?.trim() || null,
      unsubscribe: unsubscribeUrl ? { label: copy.footer.unsubscribe, url: unsubscribeUrl } : null,
    },
    brand: { name: branding.name, logoUrl: httpUrl(branding.logoUrl), color, buttonTextColor: textColorOn(color), senderName },
  };
}
