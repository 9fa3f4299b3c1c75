import { and, eq, sql } from "drizzle-orm";
import twilio from "twilio";
import { customers, messages, suppressions } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit";
import { getDb, type Db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { addSuppression, normalizeRecipient } from "./suppressions";

/**
 * Texts customers send to our Twilio number, at /api/webhooks/twilio: STOP and the other
 * opt-out words record an SMS suppression, START (UNSTOP, YES) lifts it. Twilio blocks an
 * opted-out number itself; mirroring it here keeps Dunwell from even trying, and shows the
 * operator why. Verified with the SDK's validateRequest over the URL Twilio signed (APP_URL's).
 * Convergent: adding or lifting twice is a no-op, so Twilio's retries are safe.
 */

export const optOutKeywords = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"] as const;
export const optInKeywords = ["START", "UNSTOP", "YES"] as const;
export const MAX_TWILIO_WEBHOOK_BYTES = 64 * 1024;

export type OptKeyword = "opt_out" | "opt_in";
export type TwilioWebhookResult = { status: number; body: string; contentType: "text/xml" | "application/json" };

/** Which keyword a text is: the whole message, any case, trailing punctuation ignored; Twilio's OptOutType wins (custom keywords). */
export function optKeywordOf(body: string, optOutType?: string | null): OptKeyword | null {
  if (optOutType === "STOP") return "opt_out";
  if (optOutType === "START") return "opt_in";
  const word = body.trim().replace(/[.!]+$/, "").toUpperCase();
  if ((optOutKeywords as readonly string[]).includes(word)) return "opt_out";
  if ((optInKeywords as readonly string[]).includes(word)) return "opt_in";
  return null;
}

const twiml = (): TwilioWebhookResult => ({ status: 200, body: new twilio.twiml.MessagingResponse().toString(), contentType: "text/xml" });
const problem = (status: number, error: string): TwilioWebhookResult => ({ status, body: JSON.stringify({ error }), contentType: "application/json" });

export async function receiveTwilioWebhook(request: Request, now: Date = new Date()): Promise<TwilioWebhookResult> {
  const env = getEnv();
  if (!env.twilio) return problem(503, "Twilio is not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM.");
  if (Number(request.headers.get("content-length") ?? "0") > MAX_TWILIO_WEBHOOK_BYTES) return problem(413, "Payload too large.");
  const raw = await request.text();
  if (Buffer.byteLength(raw) > MAX_TWILIO_WEBHOOK_BYTES) return problem(413, "Payload too large.");
  const params = Object.fromEntries(new URLSearchParams(raw));
  const { pathname, search } = new URL(request.url);
  // Twilio signs the public address it was given; behind a proxy request.url may be an internal one.
  const signedUrl = `${env.appUrl}${pathname}${search}`;
  const signature = request.headers.get("x-twilio-signature") ?? "";
  if (!signature || !twilio.validateRequest(env.twilio.authToken, signature, signedUrl, params)) return problem(403, "Invalid signature.");

  const keyword = optKeywordOf(params.Body ?? "", params.OptOutType);
  if (!keyword || !params.From) return twiml();
  try {
    await applyOptKeyword(await getDb(), { from: params.From, keyword, messageSid: params.MessageSid ?? null, now });
  } catch (error) {
    logger.error("inbound SMS could not be applied", { messageSid: params.MessageSid, error: String(error) });
    return problem(503, "Storage is unavailable; retry later.");
  }
  // An empty reply: Twilio's own opt-out handling answers STOP and START.
  return twiml();
}

/** Workspaces that know the number: a customer's phone on file, or an SMS sent to it. */
async function workspacesKnowing(db: Db, phone: string): Promise<string[]> {
  const rows = await db.execute<{ workspace_id: string }>(sql`
    select ${customers.workspaceId} as workspace_id from ${customers} where regexp_replace(${customers.phone}, '[\\s()-]', '', 'g') = ${phone}
    union
    select ${messages.workspaceId} from ${messages} where ${messages.channel} = 'sms' and ${messages.recipient} = ${phone}`);
  return rows.map((r) => r.workspace_id);
}

export async function applyOptKeyword(db: Db, input: { from: string; keyword: OptKeyword; messageSid: string | null; now: Date }): Promise<{ workspaces: number }> {
  const phone = normalizeRecipient("sms", input.from);
  const known = await workspacesKnowing(db, phone);
  const source = `twilio:${input.keyword === "opt_out" ? "STOP" : "START"}${input.messageSid ? `:${input.messageSid}` : ""}`;
  for (const workspaceId of known) {
    await db.transaction(async (tx) => {
      if (input.keyword === "opt_out") {
        await addSuppression(tx, { workspaceId, channel: "sms", recipient: phone, reason: "unsubscribed", at: input.now, actor: { kind: "system" }, source });
        return;
      }
      // START lifts only what STOP recorded; an operator's do-not-contact or a hard failure stays.
      const lifted = await tx
        .delete(suppressions)
        .where(and(eq(suppressions.workspaceId, workspaceId), eq(suppressions.channel, "sms"), eq(suppressions.recipient, phone), eq(suppressions.reason, "unsubscribed")))
        .returning({ recipient: suppressions.recipient });
      if (lifted.length === 0) return;
      await recordAudit(tx, { workspaceId, actor: { kind: "system" }, action: "suppression.removed", targetType: "recipient", targetId: phone, data: { channel: "sms", source }, at: input.now });
    });
  }
  return { workspaces: known.length };
}
