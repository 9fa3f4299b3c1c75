import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { customers, dunningCases, invoices, messages, workspaces, type Customer, type MessageChannelKind, type Workspace } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { describeLocal, resolveTimeZone } from "@/lib/dunning/slots";
import type { MessageTemplate } from "@/lib/dunning/types";
import { AppError } from "@/lib/errors";
import { resolveMessageLocale, type MessageLocale } from "./locale";
import { capFreesAt, isReminderTemplate, nextSendTime, stopsWhenPaid, type SendWindow } from "./rules";
import { getMessagingSettings, type MessagingSettings } from "./settings";
import { findSuppression, normalizeRecipient } from "./suppressions";

/**
 * The compliance rules, checked at send time against the database as it is now (a plan
 * made days ago knows nothing of today's payment or unsubscribe), in this order: the case
 * still collecting, a reachable and not suppressed recipient, the customer's local sending
 * window, the weekly cap. A refusal either skips the message for good or defers it.
 */

export type RuleInput = {
  workspaceId: string;
  caseId?: string | null;
  customerId: string;
  template: MessageTemplate;
  channel: MessageChannelKind;
  idempotencyKey: string;
  now: Date;
  /** An answer to what the customer just did (lib/messaging/portal-notices.ts): sent at once, whatever the hour. */
  immediate?: boolean;
};

export type SendFacts = { workspace: Workspace; customer: Customer; settings: MessagingSettings; timeZone: string; locale: MessageLocale };

export type Verdict =
  | { kind: "send"; recipient: string }
  | { kind: "skip"; reason: string; recipient: string | null }
  | { kind: "defer"; until: Date; reason: string };

export async function loadSendFacts(db: DbOrTx, input: RuleInput): Promise<SendFacts> {
  const [row] = await db
    .select({ workspace: workspaces, customer: customers })
    .from(customers)
    .innerJoin(workspaces, eq(workspaces.id, customers.workspaceId))
    .where(and(eq(customers.id, input.customerId), eq(customers.workspaceId, input.workspaceId)));
  if (!row) throw new AppError("not_found", `No customer ${input.customerId} in workspace ${input.workspaceId}.`);
  const settings = await getMessagingSettings(db, input.workspaceId);
  return {
    ...row,
    settings,
    // An unknown or missing zone: the workspace's, which the operator chose.
    timeZone: resolveTimeZone(row.customer.timezone, row.workspace.timezone),
    locale: resolveMessageLocale(row.customer.locale, row.workspace.defaultLocale),
  };
}

/** Why a collection message must not go out any more (paid invoice, closed or paused case), or null. */
export async function collectionStopped(db: DbOrTx, caseId: string | null | undefined, template: MessageTemplate): Promise<string | null> {
  if (!caseId || !stopsWhenPaid(template)) return null;
  const [row] = await db
    .select({ status: dunningCases.status, invoiceStatus: invoices.status })
    .from(dunningCases)
    .innerJoin(invoices, eq(invoices.id, dunningCases.invoiceId))
    .where(eq(dunningCases.id, caseId));
  if (!row) return "the case no longer exists";
  if (row.invoiceStatus === "paid") return "the invoice is paid";
  if (row.invoiceStatus !== "open") return `the invoice is ${row.invoiceStatus}`;
  if (row.status === "paused") return "the case is paused";
  if (row.status !== "open") return `the case is closed (${row.status})`;
  return null;
}

function recipientOf(facts: SendFacts, channel: MessageChannelKind): { recipient: string } | { missing: string } {
  if (channel === "sms") {
    if (!facts.settings.smsEnabled) return { missing: "SMS is turned off for this workspace" };
    const phone = facts.customer.phone ? normalizeRecipient("sms", facts.customer.phone) : "";
    if (!phone) return { missing: "the customer has no phone number on file" };
    // Twilio takes E.164 only; guessing a country for a local number could text a stranger.
    return /^\+[1-9]\d{6,14}$/.test(phone) ? { recipient: phone } : { missing: `the phone number on file (${phone}) is not in international form (+ and country code)` };
  }
  const email = facts.customer.email?.trim();
  return email ? { recipient: email } : { missing: "the customer has no email address" };
}

const suppressionWords = { unsubscribed: "unsubscribed", bounced: "bounced before", complained: "marked an earlier email as spam", do_not_contact: "is marked do-not-contact" } as const;

/**
 * Why a suppression list stops this message, or null. Unsubscribing stops reminders; a
 * receipt of a payment the customer made still goes out. A texted STOP stops every SMS
 * (carrier rules). Bounces, complaints and do-not-contact stop everything.
 */
export async function suppressionSkipReason(db: DbOrTx, workspaceId: string, channel: MessageChannelKind, recipient: string, template: MessageTemplate): Promise<string | null> {
  const suppression = await findSuppression(db, workspaceId, channel, recipient);
  if (!suppression) return null;
  if (suppression.reason === "unsubscribed" && !isReminderTemplate(template) && channel !== "sms") return null;
  return `the recipient ${suppressionWords[suppression.reason]} (${suppression.reason})`;
}

export async function checkSendRules(db: DbOrTx, input: RuleInput, facts: SendFacts): Promise<Verdict> {
  const stopped = await collectionStopped(db, input.caseId, input.template);
  const to = recipientOf(facts, input.channel);
  const recipient = "recipient" in to ? to.recipient : null;
  if (stopped) return { kind: "skip", reason: stopped, recipient };
  if (!recipient) return { kind: "skip", reason: "missing" in to ? to.missing : "no recipient", recipient: null };

  const suppressed = await suppressionSkipReason(db, input.workspaceId, input.channel, recipient, input.template);
  if (suppressed) return { kind: "skip", reason: suppressed, recipient };

  const window: SendWindow = { startHour: facts.settings.sendWindowStartHour, endHour: facts.settings.sendWindowEndHour };
  const allowedAt = input.immediate ? input.now : nextSendTime(input.now, facts.timeZone, window);
  if (allowedAt > input.now) {
    return { kind: "defer", until: allowedAt, reason: `quiet hours in ${facts.timeZone}: sending at ${describeLocal(allowedAt, facts.timeZone)}` };
  }

  if (input.caseId && isReminderTemplate(input.template)) {
    const frees = capFreesAt(await recentReminderTimes(db, input), input.now, facts.settings.maxRemindersPer7Days);
    if (frees) {
      const until = nextSendTime(frees, facts.timeZone, window);
      return { kind: "defer", until, reason: `at most ${facts.settings.maxRemindersPer7Days} reminders per 7 days: sending at ${describeLocal(until, facts.timeZone)}` };
    }
  }
  return { kind: "send", recipient };
}

const remindersSent = ["queued", "sent", "delivered", "bounced", "complained"] as const;

/** When the case's other reminders went out (queued ones count: they are on their way). */
async function recentReminderTimes(db: DbOrTx, input: RuleInput): Promise<Date[]> {
  const since = new Date(input.now.getTime() - 7 * 24 * 3_600_000);
  const rows = await db
    .select({ template: messages.template, at: sql<Date>`coalesce(${messages.sentAt}, ${messages.createdAt})`.mapWith((v) => new Date(v)) })
    .from(messages)
    .where(
      and(
        eq(messages.caseId, input.caseId!),
        inArray(messages.status, [...remindersSent]),
        ne(messages.idempotencyKey, input.idempotencyKey),
        sql`coalesce(${messages.sentAt}, ${messages.createdAt}) > ${since.toISOString()}::timestamptz`,
      ),
    );
  return rows.filter((r) => isReminderTemplate(r.template as MessageTemplate)).map((r) => r.at);
}
