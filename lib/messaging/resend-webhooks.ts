import { and, eq, inArray } from "drizzle-orm";
import { Resend } from "resend";
import { messages, type MessageStatus, type SuppressionReason } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit";
import { getDb, type Db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { getResendClient } from "@/lib/email/transport";
import { logger } from "@/lib/log";
import { addSuppression } from "./suppressions";

/**
 * Resend's delivery webhooks (signed the Standard Webhooks / Svix way): verify the raw bytes
 * with the SDK, then move the message found by its Resend id forward. Convergent: a status
 * only moves forward (a late "delivered" never undoes a bounce), suppressions are added once,
 * so a repeated or reordered event ends in the same state.
 */

export const MAX_RESEND_WEBHOOK_BYTES = 256 * 1024;

export type ResendWebhookResult = { status: number; body: Record<string, unknown> };

const outcomes: Partial<Record<string, { status: MessageStatus; suppress?: SuppressionReason }>> = {
  "email.sent": { status: "sent" },
  "email.delivered": { status: "delivered" },
  "email.bounced": { status: "bounced", suppress: "bounced" },
  "email.complained": { status: "complained", suppress: "complained" },
};

/** Later states win; equal ranks never overwrite each other. */
const rank: Record<MessageStatus, number> = { queued: 0, failed: 0, skipped: 0, sent: 1, delivered: 2, bounced: 3, complained: 4 };

type ResendEvent = { type?: string; created_at?: string; data?: { email_id?: string; bounce?: { type?: string; message?: string } } };

function header(request: Request, name: string): string {
  return request.headers.get(`svix-${name}`) ?? request.headers.get(`webhook-${name}`) ?? "";
}

/** The SDK's verifier needs a client; one without an API key is enough to check a signature. */
const verifier = () => getResendClient() ?? new Resend("re_webhook_verification_only");

export async function receiveResendWebhook(request: Request, now: Date = new Date()): Promise<ResendWebhookResult> {
  const secret = getEnv().resendWebhookSecret;
  if (!secret) return { status: 503, body: { error: "Resend webhooks are not configured: set RESEND_WEBHOOK_SECRET to the webhook's signing secret." } };
  if (Number(request.headers.get("content-length") ?? "0") > MAX_RESEND_WEBHOOK_BYTES) return { status: 413, body: { error: "Payload too large." } };
  const payload = await request.text();
  if (Buffer.byteLength(payload) > MAX_RESEND_WEBHOOK_BYTES) return { status: 413, body: { error: "Payload too large." } };

  let event: ResendEvent;
  try {
    event = verifier().webhooks.verify({
      payload,
      headers: { id: header(request, "id"), timestamp: header(request, "timestamp"), signature: header(request, "signature") },
      webhookSecret: secret,
    }) as ResendEvent;
  } catch {
    return { status: 400, body: { error: "Invalid signature." } };
  }
  const outcome = outcomes[event.type ?? ""];
  const providerId = event.data?.email_id;
  if (!outcome || !providerId) return { status: 200, body: { received: true, ignored: event.type ?? "unknown" } };
  try {
    return await applyDeliveryEvent(await getDb(), { type: event.type!, providerId, outcome, bounceType: event.data?.bounce?.type, now });
  } catch (error) {
    // Resend retries a non-2xx answer; processing converges, so the retry is safe.
    logger.error("resend webhook could not be applied", { providerId, type: event.type, error: String(error) });
    return { status: 503, body: { error: "Storage is unavailable; retry later." } };
  }
}

async function applyDeliveryEvent(
  db: Db,
  e: { type: string; providerId: string; outcome: { status: MessageStatus; suppress?: SuppressionReason }; bounceType?: string; now: Date },
): Promise<ResendWebhookResult> {
  return db.transaction(async (tx) => {
    const [message] = await tx.select().from(messages).where(eq(messages.providerId, e.providerId)).for("update");
    if (!message) {
      logger.info("resend webhook for an unknown email", { providerId: e.providerId, type: e.type });
      return { status: 200, body: { received: true, ignored: "unknown email" } };
    }
    const moves = rank[e.outcome.status] > rank[message.status];
    if (moves) {
      await tx
        .update(messages)
        .set({ status: e.outcome.status, updatedAt: new Date() })
        .where(and(eq(messages.id, message.id), inArray(messages.status, Object.keys(rank).filter((s) => rank[s as MessageStatus] < rank[e.outcome.status]) as MessageStatus[])));
      await recordAudit(tx, { workspaceId: message.workspaceId, actor: { kind: "system" }, action: `message.${e.outcome.status}`, targetType: "message", targetId: message.id, data: { providerId: e.providerId, event: e.type, bounceType: e.bounceType ?? null }, at: e.now });
    }
    // A temporary bounce (mailbox full) is not a reason to stop writing for good.
    const suppress = e.outcome.suppress && !(e.outcome.suppress === "bounced" && /transient|temporary/i.test(e.bounceType ?? ""));
    if (suppress && message.recipient) {
      await addSuppression(tx, { workspaceId: message.workspaceId, channel: message.channel, recipient: message.recipient, reason: e.outcome.suppress!, at: e.now, actor: { kind: "system" }, source: `resend:${e.type}` });
    }
    return { status: 200, body: { received: true, messageId: message.id, status: moves ? e.outcome.status : message.status } };
  });
}
