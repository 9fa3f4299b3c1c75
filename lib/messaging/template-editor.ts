import { render, toPlainText } from "@react-email/render";
import { createElement } from "react";
import { messages } from "@/drizzle/schema";
import { previewProps } from "@/emails/components/preview";
import { recordAudit } from "@/lib/audit";
import type { Db, DbOrTx } from "@/lib/db/client";
import type { MessageTemplate } from "@/lib/dunning/types";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import type { MessageBranding, MessageOverrides } from "./copy/compose";
import { copyByLocale } from "./copy/index";
import { messageBlocks, type MessageBlock, type Toned } from "./copy/types";
import { deliverEmail } from "./deliver";
import type { MessageLocale } from "./locale";
import { checkOverride, templateAndLocale, validOverride, type OverrideDraft } from "./overrides";
import { emailTemplates } from "./render";
import { getMessagingSettings } from "./settings";

/**
 * What the admin template editor shows and sends: the default wording to start from, the
 * message rendered with sample data (emails/components/preview.ts), the workspace's
 * branding and the unsaved overrides, and a test copy to the operator.
 */

export type DefaultCopy = { subject: string; blocks: Partial<Record<MessageBlock, string>> };

const variants = (text: Toned | undefined): string[] => (text === undefined ? [] : typeof text === "string" ? [text] : Object.values(text).filter((t) => t !== undefined));
const escape = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s*");

/** A pattern matching what the copy becomes once filled: a placeholder is any text, an optional part may vanish. */
function patternOf(raw: string): RegExp {
  const piece = (text: string) => text.split(/(\{\w+\})/).map((part, i) => (i % 2 ? "[\\s\\S]*?" : escape(part))).join("");
  const body = raw.split(/\[\[([\s\S]*?)\]\]/).map((part, i) => (i % 2 ? `(?:${piece(part)})?` : piece(part))).join("");
  return new RegExp(`^${body}$`);
}

/**
 * The default wording of each block as written, placeholders and all ("Hello[[ {customerName}]],"),
 * so an operator starts from the copy rather than from one customer's filled-in text. The
 * variant shown (tone, decline reason) is the one the sample message uses.
 */
export function defaultCopy(template: MessageTemplate, locale: MessageLocale): DefaultCopy {
  const copy = copyByLocale[locale];
  const words = copy.templates[template];
  const declines = Object.values(copy.decline);
  const candidates: Record<MessageBlock | "subject", string[]> = {
    subject: variants(words.subject),
    preview: variants(words.preview),
    heading: variants(words.heading),
    greeting: [copy.greeting],
    intro: variants(words.intro),
    reason: declines.map((d) => d.reason),
    body: variants(words.body),
    action: declines.flatMap((d) => variants(d.action)),
    urgency: Object.values(copy.urgency),
    button: [words.button, ...declines.map((d) => d.button)],
    closing: [copy.closing],
    signoff: [copy.signoff],
  };
  const { content } = previewProps(template, { locale });
  const raw = (name: MessageBlock | "subject", filled: string) => {
    const matches = candidates[name].filter((c) => c && patternOf(c).test(filled));
    // The longest match says the most; a wildcard-only candidate would match anything.
    return matches.sort((a, b) => b.length - a.length)[0] ?? filled;
  };
  const blocks: Partial<Record<MessageBlock, string>> = {};
  for (const name of messageBlocks) {
    const filled = content.blocks[name];
    if (filled) blocks[name] = raw(name, filled);
  }
  return { subject: raw("subject", content.subject), blocks };
}

// As renderMessage writes the plain-text part: headings as written, summary tables one row a line.
const textOptions = {
  selectors: [
    { selector: "h1", options: { uppercase: false } },
    { selector: "table.facts", format: "dataTable", options: { uppercaseHeaderCells: false, colSpacing: 4 } },
  ],
};

export type PreviewMessage = { subject: string; html: string; text: string };

/** The sample message in the workspace's branding with the given overrides; placeholders typed wrong stay visible. */
export async function renderTemplatePreview(
  template: MessageTemplate,
  locale: MessageLocale,
  branding: MessageBranding,
  overrides: MessageOverrides | null,
): Promise<PreviewMessage> {
  // Every branding field is given (null when unset), so the sample brand never shows through.
  const brand = { logoUrl: null, color: null, senderName: null, supportEmail: null, postalAddress: null, ...branding };
  const { content } = previewProps(template, { locale, branding: brand, overrides });
  const html = await render(createElement(emailTemplates[template], { content }));
  return { subject: content.subject, html, text: toPlainText(html, textOptions).trim() };
}

/**
 * The editor's live preview: the draft as typed (problems listed, not refused, so the operator
 * sees a typo'd placeholder where it lands) in the workspace's branding.
 */
export async function previewDraft(db: DbOrTx, workspace: { id: string; name: string }, draft: OverrideDraft): Promise<PreviewMessage & { problems: string[] }> {
  const { template, locale } = templateAndLocale(draft);
  const checked = checkOverride(draft);
  const { branding } = await getMessagingSettings(db, workspace.id);
  const preview = await renderTemplatePreview(template, locale, { ...branding, name: branding.name || workspace.name }, { subject: draft.subject, blocks: cleanBlocks(draft.blocks) });
  return { ...preview, problems: checked.ok ? [] : checked.problems };
}

const cleanBlocks = (blocks: OverrideDraft["blocks"]) => Object.fromEntries(Object.entries(blocks ?? {}).flatMap(([name, text]) => (text ? [[name, text]] : [])));

export type TestRecipient = { userId: string; email: string };

/**
 * Send the previewed message (sample data, unsaved overrides) to the operator. It goes through
 * Resend when configured, with a key of its own; either way it is stored in the messages
 * table, so it shows in the Outbox like any other message, with no case and no customer.
 */
export async function sendTestMessage(
  db: Db,
  workspace: { id: string; name: string },
  draft: OverrideDraft,
  operator: TestRecipient,
  now: Date,
): Promise<{ messageId: string; recipient: string; delivered: "resend" | "outbox" }> {
  const { template, locale, subject, blocks } = validOverride(draft);
  const { branding } = await getMessagingSettings(db, workspace.id);
  const rendered = await renderTemplatePreview(template, locale, { ...branding, name: branding.name || workspace.name }, { subject, blocks });
  const idempotencyKey = `test:${template}:${locale}:${now.getTime()}`;
  const viaResend = getEnv().emailTransport === "resend";
  const delivery = viaResend
    ? await deliverEmail({ to: operator.email, ...rendered, idempotencyKey, fromName: branding.senderName ?? branding.name ?? workspace.name })
    : ({ ok: true, providerId: null, attempts: 0 } as const);

  const id = newId("msg");
  const failed = !delivery.ok ? delivery.error.message : null;
  await db.transaction(async (tx) => {
    await tx.insert(messages).values({
      id,
      workspaceId: workspace.id,
      channel: "email",
      recipient: operator.email,
      template,
      locale,
      ...rendered,
      idempotencyKey,
      providerId: delivery.ok ? delivery.providerId : null,
      status: failed ? "failed" : "sent",
      error: failed,
      attempts: delivery.attempts,
      sentAt: failed ? null : now,
      createdAt: now,
    });
    const data = { template, locale, recipient: operator.email, test: true, error: failed };
    await recordAudit(tx, { workspaceId: workspace.id, actor: { kind: "user", userId: operator.userId }, action: failed ? "message.failed" : "message.sent", targetType: "message", targetId: id, data, at: now });
  });
  if (failed) throw new AppError("unavailable", `Resend did not accept the test email (${failed}). It is in the Outbox as failed; try again in a minute.`);
  return { messageId: id, recipient: operator.email, delivered: viaResend ? "resend" : "outbox" };
}
