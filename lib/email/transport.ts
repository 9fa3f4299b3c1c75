import { Resend } from "resend";
import { ProviderError } from "@/lib/billing/errors";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";

export type OutgoingEmail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Deterministic key from the cause (step, sign-in token…), so a retry never sends twice. */
  idempotencyKey: string;
  headers?: Record<string, string>;
  /** Display name for the sender ("Acme Billing"); the address stays EMAIL_FROM's. */
  fromName?: string | null;
};

export type EmailTransport = {
  name: "resend" | "log";
  /** Throws ProviderError: `retryable` for 429, 5xx and network errors (send again with the same key). */
  send(message: OutgoingEmail): Promise<{ providerId: string | null }>;
};

let cached: { key: string; client: Resend } | undefined;

/** The one Resend client, built from the env module (API key and base URL). */
export function getResendClient(): Resend | null {
  const env = getEnv();
  if (!env.resendApiKey) return null;
  const key = `${env.resendApiKey}|${env.resendBaseUrl}`;
  if (cached?.key !== key) cached = { key, client: new Resend(env.resendApiKey, { baseUrl: env.resendBaseUrl }) };
  return cached.client;
}

/** Resend answers errors in the body ({statusCode, name, message}); a network failure has statusCode null. */
export function resendError(error: { message: string; name: string; statusCode?: number | null }, headers: Record<string, string> | null): ProviderError {
  const status = error.statusCode ?? null;
  // A request with the same key still in flight at Resend (409 concurrent_idempotent_requests) may be sent again too.
  const retryable = status === null || status === 429 || status >= 500 || error.name === "concurrent_idempotent_requests";
  const retryAfterS = Number(headers?.["retry-after"]);
  return new ProviderError(`Resend refused the email: ${error.message}`, "resend", status, retryable, Number.isFinite(retryAfterS) && retryAfterS > 0 ? retryAfterS * 1000 : null, error.name);
}

/** "Acme Billing <billing@acme.example>" from EMAIL_FROM's address and a display name. */
export function senderOf(emailFrom: string, name?: string | null): string {
  const clean = name?.replace(/["<>\r\n]/g, "").trim();
  if (!clean) return emailFrom;
  const address = /<([^>]+)>/.exec(emailFrom)?.[1] ?? emailFrom.trim();
  return `"${clean}" <${address}>`;
}

/** Resend when RESEND_API_KEY is set; otherwise messages are written to the server log. */
export function getEmailTransport(): EmailTransport {
  const env = getEnv();
  const client = getResendClient();
  if (client) {
    return {
      name: "resend",
      async send(message) {
        const { data, error, headers } = await client.emails.send(
          { from: senderOf(env.emailFrom, message.fromName), to: message.to, subject: message.subject, html: message.html, text: message.text, headers: message.headers },
          { idempotencyKey: message.idempotencyKey },
        );
        if (error) throw resendError(error, headers);
        return { providerId: data?.id ?? null };
      },
    };
  }
  return {
    name: "log",
    async send(message) {
      logger.info(`email to ${message.to}: ${message.subject}\n${message.text}`);
      return { providerId: null };
    },
  };
}
