import { Resend } from "resend";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";

export type OutgoingEmail = {
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Deterministic key from the cause (step, sign-in token…), so a retry never sends twice. */
  idempotencyKey: string;
  headers?: Record<string, string>;
};

export type EmailTransport = {
  name: "resend" | "log";
  send(message: OutgoingEmail): Promise<{ providerId: string | null }>;
};

let resendClient: Resend | undefined;

/** Resend when RESEND_API_KEY is set; otherwise messages are written to the server log. */
export function getEmailTransport(): EmailTransport {
  const env = getEnv();
  if (env.emailTransport === "resend") {
    resendClient ??= new Resend(env.resendApiKey);
    const client = resendClient;
    return {
      name: "resend",
      async send(message) {
        const { data, error } = await client.emails.send(
          { from: env.emailFrom, to: message.to, subject: message.subject, html: message.html, text: message.text, headers: message.headers },
          { idempotencyKey: message.idempotencyKey },
        );
        if (error) throw new AppError("unavailable", `Resend refused the email: ${error.message}`);
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
