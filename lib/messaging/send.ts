import { and, eq, inArray } from "drizzle-orm";
import { messages, type Message, type MessageChannelKind } from "@/drizzle/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import { ProviderError } from "@/lib/billing/errors";
import type { Db, DbOrTx } from "@/lib/db/client";
import type { DeclineCategory, MessageTemplate, Tone } from "@/lib/dunning/types";
import { getEnv } from "@/lib/env";
import { newId } from "@/lib/ids";
import { checkSendRules, collectionStopped, loadSendFacts, type SendFacts } from "./compliance";
import { deliverEmail } from "./deliver";
import { getOverride } from "./overrides";
import { renderMessage, type MessageData } from "./render";
import { isReminderTemplate } from "./rules";
import { deliverSms, SMS_OUTCOME_UNKNOWN, smsAttemptInDoubt, smsContentFor } from "./sms";
import { oneClickUnsubscribeUrl, signUnsubscribeToken, unsubscribePageUrl } from "./unsubscribe";

/**
 * Send one message to a customer: the compliance rules at send time, then render, store,
 * and hand to the transport with the idempotency key. The outbox transport (embedded mode)
 * stores the row and that is the delivery; Resend gets the same key on every attempt. One
 * row per key: a retry or a re-run reuses it and never sends a second message.
 */

export type SendMessageInput = {
  workspaceId: string;
  caseId?: string | null;
  customerId: string;
  stepId?: string | null;
  template: MessageTemplate;
  channel: MessageChannelKind;
  idempotencyKey: string;
  now: Date;
  /** No quiet hours: an acknowledgement of what the customer just did (see compliance.ts). */
  immediate?: boolean;
  tone?: Tone | null;
  declineCategory?: DeclineCategory | null;
  /** What the message is about; the unsubscribe link is added here for reminders. */
  data: Omit<MessageData, "unsubscribeUrl">;
  actor?: Actor;
};

export type SendMessageResult =
  | { status: "sent"; messageId: string; recipient: string; providerId: string | null; repeated: boolean }
  | { status: "skipped"; messageId: string; reason: string }
  | { status: "deferred"; deferredUntil: Date; reason: string }
  | { status: "failed"; messageId: string; error: ProviderError };

const delivered = ["sent", "delivered", "bounced", "complained"] as const;
const isSettled = (status: Message["status"]) => (delivered as readonly string[]).includes(status) || status === "skipped";

function settledResult(row: Message): SendMessageResult {
  if (row.status === "skipped") return { status: "skipped", messageId: row.id, reason: row.skipReason ?? "skipped" };
  return { status: "sent", messageId: row.id, recipient: row.recipient ?? "", providerId: row.providerId, repeated: true };
}

/** The display name customer emails go out under: the branding's sender name, else its name, else the workspace's. */
export const customerSenderName = (facts: Pick<SendFacts, "settings" | "workspace">): string =>
  facts.settings.branding.senderName ?? facts.settings.branding.name ?? facts.workspace.name;

async function findByKey(db: DbOrTx, key: string): Promise<Message | null> {
  const [row] = await db.select().from(messages).where(eq(messages.idempotencyKey, key));
  return row ?? null;
}

type RowValues = Partial<Omit<Message, "id" | "idempotencyKey" | "workspaceId">>;

/** Insert the key's row or update it while it is unsettled; null when another run settled it meanwhile. */
async function saveRow(db: DbOrTx, input: SendMessageInput, facts: SendFacts, values: RowValues): Promise<Message | null> {
  const base = {
    caseId: input.caseId ?? null,
    customerId: input.customerId,
    stepId: input.stepId ?? null,
    channel: input.channel,
    template: input.template,
    locale: facts.locale,
  };
  const [row] = await db
    .insert(messages)
    .values({ id: newId("msg"), workspaceId: input.workspaceId, idempotencyKey: input.idempotencyKey, createdAt: input.now, ...base, ...values })
    .onConflictDoUpdate({
      target: messages.idempotencyKey,
      set: { ...base, ...values, updatedAt: new Date() },
      setWhere: inArray(messages.status, ["queued", "failed"]),
    })
    .returning();
  return row ?? null;
}

async function audit(db: DbOrTx, input: SendMessageInput, action: string, targetId: string, data: Record<string, unknown>) {
  await recordAudit(db, {
    workspaceId: input.workspaceId,
    actor: input.actor ?? { kind: "system" },
    action,
    targetType: "message",
    targetId,
    data: { template: input.template, channel: input.channel, caseId: input.caseId ?? null, stepId: input.stepId ?? null, ...data },
    at: input.now,
  });
}

async function skip(db: Db, input: SendMessageInput, facts: SendFacts, reason: string, recipient: string | null): Promise<SendMessageResult> {
  return db.transaction(async (tx) => {
    const row = await saveRow(tx, input, facts, { status: "skipped", skipReason: reason, recipient });
    if (!row) return settledResult((await findByKey(tx, input.idempotencyKey))!);
    await audit(tx, input, "message.skipped", row.id, { reason, recipient });
    return { status: "skipped", messageId: row.id, reason };
  });
}

/** Subject, bodies and headers: kept from an earlier attempt (Resend expects the same payload for a key), else rendered. */
async function contentFor(db: DbOrTx, input: SendMessageInput, facts: SendFacts, recipient: string, earlier: Message | null) {
  if (earlier?.html != null && earlier.subject != null && earlier.text != null) {
    return { subject: earlier.subject, html: earlier.html, text: earlier.text, headers: earlier.headers };
  }
  const reminder = isReminderTemplate(input.template);
  const token = reminder ? signUnsubscribeToken({ workspaceId: input.workspaceId, channel: input.channel, recipient }) : null;
  const { branding } = facts.settings;
  const rendered = await renderMessage({
    template: input.template,
    locale: facts.customer.locale,
    defaultLocale: facts.workspace.defaultLocale,
    timezone: facts.timeZone,
    tone: input.tone ?? null,
    declineCategory: input.declineCategory ?? null,
    branding: { ...branding, name: branding.name || facts.workspace.name },
    data: { customerName: facts.customer.name, ...input.data, unsubscribeUrl: token ? unsubscribePageUrl(token) : null },
    // The operator's wording for this template in the language the message is written in.
    overrides: await getOverride(db, input.workspaceId, input.template, facts.locale),
  });
  const headers = { ...rendered.headers };
  // Mail clients POST the one-click unsubscribe (RFC 8058) to a route; the footer link opens a page.
  if (token && headers["List-Unsubscribe"]) headers["List-Unsubscribe"] = `<${oneClickUnsubscribeUrl(token)}>`;
  return { subject: rendered.subject, html: rendered.html, text: rendered.text, headers };
}

export async function sendMessage(db: Db, input: SendMessageInput): Promise<SendMessageResult> {
  const earlier = await findByKey(db, input.idempotencyKey);
  if (earlier && isSettled(earlier.status)) return settledResult(earlier);

  const facts = await loadSendFacts(db, input);
  if (earlier && smsAttemptInDoubt(earlier)) return skip(db, input, facts, SMS_OUTCOME_UNKNOWN, earlier.recipient);
  const verdict = await checkSendRules(db, input, facts);
  if (verdict.kind === "skip") return skip(db, input, facts, verdict.reason, verdict.recipient);
  if (verdict.kind === "defer") {
    await audit(db, input, "message.deferred", earlier?.id ?? input.idempotencyKey, { until: verdict.until.toISOString(), reason: verdict.reason });
    return { status: "deferred", deferredUntil: verdict.until, reason: verdict.reason };
  }

  const content = input.channel === "sms" ? await smsContentFor(db, input, facts, earlier) : await contentFor(db, input, facts, verdict.recipient, earlier);
  const queued = await saveRow(db, input, facts, { status: "queued", recipient: verdict.recipient, ...content, skipReason: null, error: null });
  if (!queued) return settledResult((await findByKey(db, input.idempotencyKey))!);

  // The last look, right before the transport: a payment may have landed while we rendered.
  const stopped = await collectionStopped(db, input.caseId, input.template);
  if (stopped) return skip(db, input, facts, stopped, verdict.recipient);

  const env = getEnv();
  if ((input.channel === "sms" ? env.smsTransport : env.emailTransport) === "outbox") return markSent(db, input, queued, { transport: "outbox", providerId: null, attempts: 0 });
  const delivery =
    input.channel === "sms"
      ? await deliverSms(db, queued, content.text)
      : await deliverEmail({
          to: verdict.recipient,
          ...content,
          html: content.html ?? "",
          idempotencyKey: input.idempotencyKey,
          fromName: customerSenderName(facts),
        });
  if (delivery.ok) return markSent(db, input, queued, { transport: input.channel === "sms" ? "twilio" : "resend", providerId: delivery.providerId, attempts: delivery.attempts });
  return db.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({ status: "failed", error: delivery.error.message, attempts: queued.attempts + delivery.attempts, updatedAt: new Date() })
      .where(and(eq(messages.id, queued.id), inArray(messages.status, ["queued", "failed"])));
    await audit(tx, input, "message.failed", queued.id, { error: delivery.error.message, retryable: delivery.error.retryable, attempts: delivery.attempts });
    return { status: "failed", messageId: queued.id, error: delivery.error };
  });
}

async function markSent(
  db: Db,
  input: SendMessageInput,
  row: Message,
  { transport, providerId, attempts }: { transport: "outbox" | "resend" | "twilio"; providerId: string | null; attempts: number },
): Promise<SendMessageResult> {
  return db.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({ status: "sent", providerId, sentAt: input.now, error: null, attempts: row.attempts + attempts, updatedAt: new Date() })
      .where(eq(messages.id, row.id));
    await audit(tx, input, "message.sent", row.id, { recipient: row.recipient, providerId, transport });
    return { status: "sent", messageId: row.id, recipient: row.recipient ?? "", providerId, repeated: false };
  });
}
