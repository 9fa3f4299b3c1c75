import { and, eq } from "drizzle-orm";
import { customers, dunningCases, installmentPlans, invoices, messages, type HelpTopic } from "@/drizzle/schema";
import type { Db } from "@/lib/db/client";
import { recordCaseEvent } from "@/lib/dunning/cases";
import { caseMessageData } from "@/lib/dunning/messages";
import { workspaceClock } from "@/lib/dunning/clock";
import type { DeclineCategory, MessageTemplate } from "@/lib/dunning/types";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import type { PortalNotice } from "@/lib/portal/notify";
import { formatAmount } from "./format";
import { sendOperatorEmail, workspaceOperators, type OperatorEmail } from "./operator-email";
import { sendMessage, type SendMessageInput } from "./send";

/**
 * The portal's acknowledgements as messages (lib/portal/notify.ts hands them here): help
 * received, promise confirmed, installment plan confirmed, installment failed. They take the
 * engine's send path (sendMessage: rendered in the customer's language, branded, one row in
 * the outbox per key) with a key built from what caused them, so telling twice sends once.
 *
 * The send-time rules that apply: a missing, bounced, complained or do-not-contact address
 * is skipped (an unsubscribe stops reminders only, and these are not reminders); a collection
 * message (installment_failed) is skipped once the invoice is paid or the case closed. None is
 * a reminder, so none counts toward or waits for the weekly cap, and none carries
 * List-Unsubscribe. Quiet hours do not apply (`immediate`): the customer just acted and waits
 * for the answer, and no engine step would send a deferred one later. A help request also
 * emails the workspace's owners and admins a link to the case.
 */

type CustomerNotice = Exclude<PortalNotice, { kind: "fresh_link" }>;

export const portalNoticeKey = (notice: CustomerNotice): string => {
  switch (notice.kind) {
    case "help_requested":
      return `portal:help:${notice.requestId}`;
    case "promise_confirmed":
      return `portal:promise:${notice.requestId}`;
    case "installment_confirmed":
      return `portal:installment:${notice.planId}:confirmed`;
    case "installment_failed":
      return `portal:installment:${notice.planId}:${notice.part}:failed`;
  }
};

const templateOf: Record<CustomerNotice["kind"], MessageTemplate> = {
  help_requested: "help_received",
  promise_confirmed: "promise_confirmed",
  installment_confirmed: "installment_confirmed",
  installment_failed: "installment_failed",
};

export async function sendPortalNotice(db: Db, notice: CustomerNotice): Promise<void> {
  const now = notice.at ?? (await workspaceClock(db, notice.workspaceId)).now();
  const key = portalNoticeKey(notice);
  const [told] = await db.select({ status: messages.status }).from(messages).where(eq(messages.idempotencyKey, key));
  let failure: unknown = null;
  try {
    if (!told || told.status === "queued" || told.status === "failed") await tellCustomer(db, notice, key, now);
  } catch (error) {
    failure = error; // the operators still hear of the request
  }
  if (notice.kind === "help_requested") await tellOperators(db, notice, now);
  if (failure) throw failure;
}

async function caseFacts(db: Db, notice: CustomerNotice) {
  const [row] = await db
    .select({ c: dunningCases, invoice: invoices, customer: customers })
    .from(dunningCases)
    .innerJoin(invoices, eq(invoices.id, dunningCases.invoiceId))
    .innerJoin(customers, eq(customers.id, dunningCases.customerId))
    .where(and(eq(dunningCases.id, notice.caseId), eq(dunningCases.workspaceId, notice.workspaceId)));
  if (!row) throw new AppError("not_found", `No case ${notice.caseId} in workspace ${notice.workspaceId}.`);
  return row;
}

/** What the message is about, beyond the case's invoice: the promised date, the plan, the failed part. */
async function noticeData(db: Db, notice: CustomerNotice): Promise<Partial<SendMessageInput["data"]>> {
  if (notice.kind === "help_requested") return {};
  // The retry runs at 10:00 on the promised day in the customer's zone, so it shows as that calendar date.
  if (notice.kind === "promise_confirmed") return { promiseDate: notice.retryAt };
  const [plan] = await db.select().from(installmentPlans).where(and(eq(installmentPlans.id, notice.planId), eq(installmentPlans.caseId, notice.caseId)));
  if (!plan) throw new AppError("not_found", `No installment plan ${notice.planId} on case ${notice.caseId}.`);
  if (notice.kind === "installment_confirmed") {
    return { amountMinor: plan.totalMinor, currency: plan.currency, installments: plan.parts.map((p) => ({ dueAt: p.dueAt, amountMinor: p.amountMinor })) };
  }
  const part = plan.parts.find((p) => p.n === notice.part);
  if (!part) throw new AppError("not_found", `No part ${notice.part} in installment plan ${plan.id}.`);
  return { amountMinor: part.amountMinor, currency: plan.currency, dueDate: part.dueAt };
}

async function tellCustomer(db: Db, notice: CustomerNotice, key: string, now: Date): Promise<void> {
  const facts = await caseFacts(db, notice);
  const template = templateOf[notice.kind];
  const result = await sendMessage(db, {
    workspaceId: notice.workspaceId,
    caseId: notice.caseId,
    customerId: notice.customerId,
    template,
    channel: "email",
    idempotencyKey: key,
    now,
    immediate: true,
    declineCategory: notice.kind === "installment_failed" ? (facts.c.declineCategory as DeclineCategory | null) : null,
    data: { ...(await caseMessageData(db, facts.c, facts.invoice, now)), ...(await noticeData(db, notice)) },
  });
  if (result.status === "sent" && !result.repeated) {
    await recordCaseEvent(db, facts.c, now, "message_sent", `Sent "${template}" to ${result.recipient}.`, { messageId: result.messageId, notice: notice.kind });
  } else if (result.status === "skipped") {
    await recordCaseEvent(db, facts.c, now, "message_skipped", `Message "${template}" skipped: ${result.reason}.`, { messageId: result.messageId, notice: notice.kind });
  } else if (result.status === "failed" || result.status === "deferred") {
    logger.warn(`portal notice ${notice.kind} not sent`, { caseId: notice.caseId, status: result.status, detail: result.status === "failed" ? result.error.message : result.reason });
  }
}

const topicWords: Record<HelpTopic, string> = { question: "has a question", dispute: "disputes the charge", already_canceled: "says they already cancelled" };

export function operatorHelpEmail(input: {
  customer: string;
  topic: HelpTopic;
  message: string | null;
  invoice: string;
  caseStatus: string;
  caseUrl: string;
}): OperatorEmail {
  const lines = [
    `${input.customer} ${topicWords[input.topic]} and asked for help from the billing portal.`,
    ...(input.message ? [`Their message: “${input.message}”`] : []),
    `Invoice: ${input.invoice}. Case: ${input.caseStatus}.`,
    `Answer them, then resolve the request on the case: ${input.caseUrl}`,
  ];
  const html = `${lines
    .slice(0, -1)
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join("")}<p><a href="${escapeHtml(input.caseUrl)}">Open the case in Dunwell</a></p>`;
  // One line whatever the provider's customer name holds.
  const subject = `Help requested: ${input.customer} ${topicWords[input.topic]}`.replace(/\s+/g, " ");
  return { subject, text: lines.join("\n\n"), html };
}

async function tellOperators(db: Db, notice: Extract<CustomerNotice, { kind: "help_requested" }>, now: Date): Promise<void> {
  const operators = await workspaceOperators(db, notice.workspaceId);
  if (operators.length === 0) return;
  const facts = await caseFacts(db, notice);
  const email = operatorHelpEmail({
    customer: facts.customer.name?.trim() || facts.customer.email || facts.customer.externalId,
    topic: notice.topic,
    message: notice.message,
    invoice: `${facts.invoice.number ?? facts.invoice.externalId}, ${formatAmount(facts.invoice.amountRemaining, facts.invoice.currency, "en")} open`,
    caseStatus: facts.c.status === "paused" ? `paused (${facts.c.pauseReason ?? "no reason given"}), no retries or reminders until it resumes` : facts.c.status,
    caseUrl: `${getEnv().appUrl}/admin/cases/${notice.caseId}`,
  });
  for (const operator of operators) {
    const idempotencyKey = `portal:help:${notice.requestId}:operator:${operator.userId}`;
    await sendOperatorEmail(db, { workspaceId: notice.workspaceId, to: operator.email, template: "operator_help_requested", idempotencyKey, now, email });
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
