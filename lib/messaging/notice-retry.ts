import { and, eq, inArray, sql } from "drizzle-orm";
import { messages, workspaces, type Message } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit";
import type { Db, DbOrTx } from "@/lib/db/client";
import { recordCaseEvent } from "@/lib/dunning/cases";
import { workspaceClock } from "@/lib/dunning/clock";
import type { MessageTemplate } from "@/lib/dunning/types";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { collectionStopped, suppressionSkipReason } from "./compliance";
import { deliverEmail, type Delivery } from "./deliver";
import { customerSenderName } from "./send";
import { getMessagingSettings } from "./settings";

/**
 * The portal's acknowledgements and the operators' help notices (lib/messaging/portal-notices.ts,
 * keys `portal:…`) have no engine step to try them again: when Resend refuses twice (429, 5xx)
 * the row is left `failed`. This sweep sends those rows again, later and less often each time,
 * with the STORED subject, bodies, headers and recipient under the SAME idempotency key, so
 * Resend (which wants the same payload for a key) delivers at most one email. Before each try
 * the send-time rules are asked again: a recipient suppressed since, or a collection message
 * (installment_failed) whose invoice was paid or case closed, is skipped the way send.ts skips.
 */

/**
 * Transport calls after which a notice is given up. A failed send usually costs two (Resend's
 * 5xx, then the one immediate retry), so 12 is the first send plus five sweeps, spread by the
 * backoff below over about 13 hours: past a short Resend outage, yet inside the 24 hours for
 * which Resend remembers a key, so a try that reached Resend but failed on our side is never
 * delivered twice.
 */
export const NOTICE_MAX_ATTEMPTS = 12;
const FIRST_BACKOFF_S = 5 * 60;
const MAX_BACKOFF_S = 6 * 3600;
/** A row claimed (queued) this long ago belongs to a sweep that died mid-delivery: claimable again. */
const STALE_CLAIM_S = 30 * 60;

/** Wait after the last try: 5 min after the first failed send (2 attempts), doubling per attempt, at most 6 h. */
export const noticeBackoffMs = (attempts: number): number => Math.min(FIRST_BACKOFF_S * 2 ** Math.max(attempts - 2, 0), MAX_BACKOFF_S) * 1000;

export type NoticeRetryResult = { sent: number; failed: number; skipped: number; abandoned: number };

export async function retryFailedNotices(db: Db, options: { now?: Date; limit?: number } = {}): Promise<NoticeRetryResult> {
  const now = options.now ?? new Date();
  const result: NoticeRetryResult = { sent: 0, failed: 0, skipped: 0, abandoned: 0 };
  for (const row of await claimFailedNotices(db, now, options.limit ?? 50)) {
    try {
      result[await retryNotice(db, row, now)]++;
    } catch (error) {
      // The row stays claimed (queued) and is taken again once the claim is stale; the others still go.
      logger.warn("portal notice retry failed", { messageId: row.id, error: String(error) });
      result.failed++;
    }
  }
  return result;
}

/**
 * One statement flips the due rows from `failed` to `queued` (the state send.ts gives a row in
 * flight); SKIP LOCKED lets a concurrent sweep pass over rows being claimed, and a claimed row
 * no longer matches, so two sweeps never deliver the same row at once.
 */
async function claimFailedNotices(db: Db, now: Date, limit: number): Promise<Message[]> {
  const at = now.toISOString();
  const claimed = await db.execute<{ id: string }>(sql`
    with due as (
      select id
        from messages
       where channel = 'email'
         and idempotency_key like 'portal:%'
         and attempts < ${NOTICE_MAX_ATTEMPTS}
         and ((status = 'failed'
               and updated_at <= ${at}::timestamptz - make_interval(secs => least(${FIRST_BACKOFF_S} * power(2, greatest(attempts - 2, 0)), ${MAX_BACKOFF_S})))
           or (status = 'queued' and updated_at <= ${at}::timestamptz - make_interval(secs => ${STALE_CLAIM_S})))
       order by updated_at, id
       limit ${limit}
       for update skip locked
    )
    update messages
       set status = 'queued', updated_at = ${at}::timestamptz
      from due
     where messages.id = due.id
    returning messages.id`);
  if (claimed.length === 0) return [];
  return db.select().from(messages).where(inArray(messages.id, claimed.map((r) => r.id)));
}

type Outcome = keyof NoticeRetryResult;

const isOperatorNotice = (row: Message) => row.template.startsWith("operator_");

/** Why the notice must not go out any more, asked again at send time, or null. */
async function whyNotNow(db: DbOrTx, row: Message): Promise<string | null> {
  if (!row.recipient || row.subject == null || row.text == null) return "nothing stored to send again";
  // The same rule as the first send (an unsubscribe stops reminders only, and these are not reminders).
  return (await suppressionSkipReason(db, row.workspaceId, "email", row.recipient, row.template as MessageTemplate)) ?? collectionStopped(db, row.caseId, row.template as MessageTemplate);
}

/** From name and headers exactly as the first send passed them: Resend compares the payload for the key. */
async function sameEnvelope(db: DbOrTx, row: Message): Promise<{ fromName: string; headers?: Record<string, string> }> {
  // Operator notices go out as Dunwell without headers (lib/messaging/operator-email.ts).
  if (isOperatorNotice(row)) return { fromName: "Dunwell" };
  const [workspace] = await db.select().from(workspaces).where(eq(workspaces.id, row.workspaceId));
  return { fromName: customerSenderName({ workspace: workspace!, settings: await getMessagingSettings(db, row.workspaceId) }), headers: row.headers };
}

async function retryNotice(db: Db, row: Message, now: Date): Promise<Outcome> {
  // The backoff reads updated_at, real time; what the operator sees (sent at, audit, timeline) is on the workspace's clock.
  const at = (await workspaceClock(db, row.workspaceId, { now: () => now })).now();
  const audit = (tx: DbOrTx, action: string, data: Record<string, unknown>) =>
    recordAudit(tx, {
      workspaceId: row.workspaceId,
      actor: { kind: "system" },
      action,
      targetType: "message",
      targetId: row.id,
      data: { template: row.template, channel: row.channel, caseId: row.caseId, recipient: row.recipient, retry: true, ...data },
      at,
    });
  // Only a row this sweep still holds is settled: a re-told notice (sendMessage) may have settled it meanwhile.
  const stillOurs = and(eq(messages.id, row.id), inArray(messages.status, ["queued", "failed"]));
  const caseEvent = (tx: DbOrTx, type: string, message: string) =>
    row.caseId ? recordCaseEvent(tx, { id: row.caseId, workspaceId: row.workspaceId }, at, type, message, { messageId: row.id, retry: true }) : undefined;

  const reason = await whyNotNow(db, row);
  if (reason) {
    return db.transaction(async (tx): Promise<Outcome> => {
      const [settled] = await tx.update(messages).set({ status: "skipped", skipReason: reason, updatedAt: now }).where(stillOurs).returning({ id: messages.id });
      if (!settled) return "skipped";
      await audit(tx, "message.skipped", { reason });
      await caseEvent(tx, "message_skipped", `Message "${row.template}" skipped: ${reason}.`);
      return "skipped";
    });
  }

  const outbox = getEnv().emailTransport === "outbox";
  const delivery: Delivery = outbox
    ? { ok: true, providerId: null, attempts: 0 }
    : await deliverEmail({
        to: row.recipient!,
        subject: row.subject!,
        html: row.html ?? "",
        text: row.text!,
        idempotencyKey: row.idempotencyKey,
        ...(await sameEnvelope(db, row)),
      });

  return db.transaction(async (tx): Promise<Outcome> => {
    if (delivery.ok) {
      const [settled] = await tx
        .update(messages)
        .set({ status: "sent", providerId: delivery.providerId, sentAt: at, error: null, attempts: sql`${messages.attempts} + ${delivery.attempts}`, updatedAt: now })
        .where(stillOurs)
        .returning({ id: messages.id });
      if (!settled) return "sent";
      await audit(tx, "message.sent", { providerId: delivery.providerId, transport: outbox ? "outbox" : "resend" });
      await caseEvent(tx, "message_sent", `Sent "${row.template}" to ${row.recipient}.`);
      return "sent";
    }
    const error = delivery.error.message;
    const [failed] = await tx
      .update(messages)
      .set({ status: "failed", error, attempts: sql`${messages.attempts} + ${delivery.attempts}`, updatedAt: now })
      .where(stillOurs)
      .returning({ attempts: messages.attempts });
    if (!failed) return "failed";
    await audit(tx, "message.failed", { error, retryable: delivery.error.retryable, attempts: delivery.attempts });
    if (failed.attempts < NOTICE_MAX_ATTEMPTS) return "failed";
    // The row stays failed (the Outbox shows it); no sweep picks it again.
    await audit(tx, "message.abandoned", { error, attempts: failed.attempts });
    await caseEvent(tx, "message_failed", `Message "${row.template}" could not be sent after ${failed.attempts} attempts; not tried again: ${error}.`);
    return "abandoned";
  });
}
