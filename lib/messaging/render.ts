import { render, toPlainText } from "@react-email/render";
import { createElement, type ComponentType } from "react";
import ActionRequiredEmail from "@/emails/action-required";
import CardExpiringEmail from "@/emails/card-expiring";
import type { EmailProps } from "@/emails/components/layout";
import FinalNoticeEmail from "@/emails/final-notice";
import HelpReceivedEmail from "@/emails/help-received";
import InstallmentFailedEmail from "@/emails/installment-failed";
import InstallmentPlanConfirmedEmail from "@/emails/installment-plan-confirmed";
import InstallmentUpcomingEmail from "@/emails/installment-upcoming";
import PaymentFailedEmail from "@/emails/payment-failed";
import PaymentRecoveredEmail from "@/emails/payment-recovered";
import PromiseConfirmedEmail from "@/emails/promise-confirmed";
import ReminderEmail from "@/emails/reminder";
import type { MessageTemplate } from "@/lib/dunning/types";
import { composeMessage, type MessageContent, type MessageInput } from "./copy/compose";

export type { MessageBranding, MessageContent, MessageData, MessageInput, MessageOverrides } from "./copy/compose";
export { composeMessage, isReminderTemplate, toCopyCategory } from "./copy/compose";
export { messageBlocks, type CopyCategory, type MessageBlock } from "./copy/types";
export { placeholderNames, type PlaceholderName } from "./copy/placeholders";

/** The react-email component for each template (emails/*.tsx). */
export const emailTemplates: Record<MessageTemplate, ComponentType<EmailProps>> = {
  payment_failed: PaymentFailedEmail,
  reminder: ReminderEmail,
  final_notice: FinalNoticeEmail,
  action_required: ActionRequiredEmail,
  card_expiring: CardExpiringEmail,
  payment_recovered: PaymentRecoveredEmail,
  installment_confirmed: InstallmentPlanConfirmedEmail,
  installment_upcoming: InstallmentUpcomingEmail,
  installment_failed: InstallmentFailedEmail,
  promise_confirmed: PromiseConfirmedEmail,
  help_received: HelpReceivedEmail,
};

// The plain-text part: headings as written (not upper-cased), summary tables one row a line.
const textOptions = {
  selectors: [
    { selector: "h1", options: { uppercase: false } },
    { selector: "table.facts", format: "dataTable", options: { uppercaseHeaderCells: false, colSpacing: 4 } },
  ],
};

export type RenderedMessage = { subject: string; html: string; text: string; headers: Record<string, string> };

/**
 * One-click unsubscribe (RFC 8058) on reminder-type messages that have an unsubscribe link.
 * The POST header is only valid with an HTTPS URI, so a plain-http link (local development)
 * gets the List-Unsubscribe header alone.
 */
function unsubscribeHeaders(content: MessageContent): Record<string, string> {
  const link = content.footer.unsubscribe;
  if (!link) return {};
  const headers: Record<string, string> = { "List-Unsubscribe": `<${link.url}>` };
  if (link.url.startsWith("https:")) headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  return headers;
}

/** Subject, HTML, plain text and headers for one message, ready for the transport and the messages table. */
export async function renderMessage(input: MessageInput): Promise<RenderedMessage> {
  const content = composeMessage(input);
  const html = await render(createElement(emailTemplates[input.template], { content }));
  return { subject: content.subject, html, text: toPlainText(html, textOptions).trim(), headers: unsubscribeHeaders(content) };
}
