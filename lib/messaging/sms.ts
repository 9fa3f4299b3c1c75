import { and, eq, inArray } from "drizzle-orm";
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import { messages, type Message } from "@/drizzle/schema";
import { ProviderError } from "@/lib/billing/errors";
import type { DbOrTx } from "@/lib/db/client";
import { getEnv, type TwilioConfig } from "@/lib/env";
import type { SendFacts } from "./compliance";
import type { Delivery } from "./deliver";
import { getOverride } from "./overrides";
import { composeMessage } from "./render";
import { isReminderTemplate } from "./rules";
import type { SendMessageInput } from "./send";
import { composeSmsText } from "./sms-text";
import { addSuppression } from "./suppressions";

/**
 * SMS through Twilio's SDK. Twilio takes no idempotency key, so the message row is the
 * guard: it is stored (keyed by the step's idempotency key) before the call, each call first
 * claims the row by moving its attempt counter (only one run wins), and the Twilio SID is
 * recorded with "sent". A row left claimed without an outcome (a crash, a lost answer) is
 * never sent again: one missing text is better than two.
 */

/** Twilio's answer "the recipient replied STOP": it will refuse every message to them. */
const TWILIO_UNSUBSCRIBED = 21610;
/** No connection was made, so Twilio cannot have accepted anything: safe to call again. */
const notConnected = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export const SMS_OUTCOME_UNKNOWN = "an earlier attempt may have sent this SMS (Twilio's answer was lost): not sent again, to avoid a duplicate";

/** Rewrites the SDK's api.twilio.com address to TWILIO_BASE_URL, so tests reach a local server through the SDK's own code. */
class BaseUrlRequestClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string) {
    super({ timeout: 15_000 });
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    const target = new URL(opts.uri);
    const base = new URL(this.baseUrl);
    target.protocol = base.protocol;
    target.host = base.host;
    target.pathname = `${base.pathname.replace(/\/$/, "")}${target.pathname}`;
    return super.request({ ...opts, uri: target.href });
  }
}

let cached: { key: string; client: twilio.Twilio } | undefined;

/** The one Twilio client, built from the env module; null when Twilio is not configured. */
export function getTwilioClient(): twilio.Twilio | null {
  const config = getEnv().twilio;
  if (!config) return null;
  const key = `${config.accountSid}|${config.authToken}|${config.baseUrl}`;
  if (cached?.key !== key) {
    const httpClient = config.baseUrl === "https://api.twilio.com" ? undefined : new BaseUrlRequestClient(config.baseUrl);
    cached = { key, client: twilio(config.accountSid, config.authToken, { httpClient, autoRetry: false }) };
  }
  return cached.client;
}

type SmsContent = { subject: string; html: null; text: string; headers: Record<string, string> };

/** Subject kept for the Outbox list; the text is what the phone shows. Kept from an earlier attempt so a retry sends the same words. */
export async function smsContentFor(db: DbOrTx, input: SendMessageInput, facts: SendFacts, earlier: Message | null): Promise<SmsContent> {
  if (earlier?.channel === "sms" && earlier.text != null) return { subject: earlier.subject ?? "", html: null, text: earlier.text, headers: {} };
  const { branding } = facts.settings;
  const content = composeMessage({
    template: input.template,
    locale: facts.customer.locale,
    defaultLocale: facts.workspace.defaultLocale,
    timezone: facts.timeZone,
    tone: input.tone ?? null,
    declineCategory: input.declineCategory ?? null,
    branding: { ...branding, name: branding.name || facts.workspace.name },
    data: { customerName: facts.customer.name, ...input.data, unsubscribeUrl: null },
    overrides: await getOverride(db, input.workspaceId, input.template, facts.locale),
  });
  return { subject: content.subject, html: null, text: composeSmsText(content, { reminder: isReminderTemplate(input.template) }), headers: {} };
}

/** A row claimed by an attempt that never recorded its outcome. */
export const smsAttemptInDoubt = (row: Message) => row.channel === "sms" && row.status === "queued" && row.attempts > 0;

/** Twilio's error body ({code, message, more_info, status}) as a ProviderError; retryable for 429 and 5xx. */
export function twilioError(error: unknown): ProviderError | { unknownOutcome: string } {
  if (error instanceof twilio.RestException) {
    const retryable = error.status === 429 || error.status >= 500;
    return new ProviderError(`Twilio refused the SMS: ${error.message}${error.code ? ` (${error.code})` : ""}`, "twilio", error.status, retryable, null, error.code ? String(error.code) : null);
  }
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === "string" && notConnected.has(code)) return new ProviderError(`Twilio could not be reached: ${message}`, "twilio", null, true, null, code);
  return { unknownOutcome: message };
}

const senderOf = (config: TwilioConfig) => ("from" in config.sender ? { from: config.sender.from } : { messagingServiceSid: config.sender.messagingServiceSid });

/** Claim the row for one call: move its counter from what we last saw; false when another run got there first. */
async function claim(db: DbOrTx, row: Message, seen: number): Promise<boolean> {
  const claimed = await db
    .update(messages)
    .set({ attempts: seen + 1, updatedAt: new Date() })
    .where(and(eq(messages.id, row.id), eq(messages.attempts, seen), inArray(messages.status, ["queued", "failed"])))
    .returning({ id: messages.id });
  return claimed.length === 1;
}

/**
 * Send a stored SMS row through Twilio: a refusal with 429 or 5xx is retried once at once;
 * a 21610 (the recipient texted STOP to our number) records the suppression. A lost answer,
 * or a row another run has claimed, throws a retryable ProviderError and writes nothing: the
 * engine looks again later and finds the row sent, or in doubt (then skipped, never resent).
 */
export async function deliverSms(db: DbOrTx, row: Message, text: string): Promise<Delivery> {
  const client = getTwilioClient();
  const config = getEnv().twilio;
  if (!client || !config || !row.recipient) return { ok: false, error: new ProviderError("Twilio is not configured.", "twilio", null, false), attempts: 0 };
  let attempts = 0;
  for (;;) {
    // Another run is sending it right now: write nothing; a later look finds the row settled.
    if (!(await claim(db, row, row.attempts + attempts))) throw new ProviderError("Another run is sending this SMS right now.", "twilio", null, true, 60_000, "in_progress");
    attempts += 1;
    try {
      const sent = await client.messages.create({ to: row.recipient, body: text, ...senderOf(config) });
      return { ok: true, providerId: sent.sid, attempts };
    } catch (error) {
      const failure = twilioError(error);
      if (!(failure instanceof ProviderError)) throw new ProviderError(`${SMS_OUTCOME_UNKNOWN}: ${failure.unknownOutcome}`, "twilio", null, true, null, "outcome_unknown");
      if (failure.providerCode === String(TWILIO_UNSUBSCRIBED)) {
        await addSuppression(db, { workspaceId: row.workspaceId, channel: "sms", recipient: row.recipient, reason: "unsubscribed", at: new Date(), actor: { kind: "system" }, source: "twilio:21610" });
      }
      if (!failure.retryable || attempts >= 2) return { ok: false, error: failure, attempts };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
