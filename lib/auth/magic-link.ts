import { createHash, randomBytes } from "node:crypto";
import { verificationTokens } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { getEnv } from "@/lib/env";

export const EMAIL_PROVIDER_ID = "email";
export const MAGIC_LINK_MAX_AGE_S = 24 * 60 * 60;

/** Auth.js stores sha256(token + secret) in hex; we must match it exactly. */
export function hashVerificationToken(token: string, secret: string): string {
  return createHash("sha256").update(`${token}${secret}`).digest("hex");
}

export function normalizeEmail(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}

/**
 * A one-time sign-in URL for an operator, the same link Auth.js's email provider would
 * send: its token is stored hashed and consumed on first use.
 */
export async function createSignInLink(
  db: DbOrTx,
  email: string,
  options: { callbackPath?: string; maxAgeSeconds?: number; now?: Date } = {},
): Promise<{ url: string; expires: Date }> {
  const env = getEnv();
  const identifier = normalizeEmail(email);
  const token = randomBytes(32).toString("hex");
  const expires = new Date((options.now ?? new Date()).getTime() + (options.maxAgeSeconds ?? MAGIC_LINK_MAX_AGE_S) * 1000);
  await db.insert(verificationTokens).values({ identifier, token: hashVerificationToken(token, env.authSecret), expires });
  const params = new URLSearchParams({
    callbackUrl: `${env.appUrl}${options.callbackPath ?? "/admin"}`,
    token,
    email: identifier,
  });
  return { url: `${env.appUrl}/api/auth/callback/${EMAIL_PROVIDER_ID}?${params}`, expires };
}
