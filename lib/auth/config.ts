import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { NextAuthConfig } from "next-auth";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { accounts, sessions, users, verificationTokens } from "@/drizzle/schema";
import { getDb } from "@/lib/db/client";
import { getEmailTransport } from "@/lib/email/transport";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { EMAIL_PROVIDER_ID, MAGIC_LINK_MAX_AGE_S, hashVerificationToken } from "./magic-link";
import { hasMembership } from "./membership";

/**
 * Auth.js configuration, built per request (lazy) so nothing opens the database or reads
 * secrets at import time. Only operators who belong to a workspace may sign in: there is no
 * self-service sign-up; an owner invites (or `dunwell operator invite`).
 */
export async function buildAuthConfig(): Promise<NextAuthConfig> {
  const env = getEnv();
  const db = await getDb();
  const providers: NextAuthConfig["providers"] = [
    {
      id: EMAIL_PROVIDER_ID,
      type: "email",
      name: "Email",
      from: env.emailFrom,
      maxAge: MAGIC_LINK_MAX_AGE_S,
      options: {},
      async sendVerificationRequest({ identifier, url, token }) {
        // Same answer for every address on the page; only operators actually get a link.
        if (!(await hasMembership(db, identifier))) return;
        await getEmailTransport().send({
          to: identifier,
          subject: "Your Dunwell sign-in link",
          text: `Sign in to Dunwell:\n\n${url}\n\nThe link works once and expires in 24 hours. If you did not ask for it, ignore this email.`,
          html: `<p>Sign in to Dunwell:</p><p><a href="${url}">Sign in</a></p><p>The link works once and expires in 24 hours. If you did not ask for it, ignore this email.</p>`,
          idempotencyKey: `signin:${hashVerificationToken(token, env.authSecret).slice(0, 32)}`,
        });
      },
    },
  ];
  if (env.oauth.github) {
    providers.push(GitHub({ clientId: env.oauth.github.id, clientSecret: env.oauth.github.secret, allowDangerousEmailAccountLinking: true }));
  }
  if (env.oauth.google) {
    providers.push(Google({ clientId: env.oauth.google.id, clientSecret: env.oauth.google.secret, allowDangerousEmailAccountLinking: true }));
  }
  return {
    adapter: DrizzleAdapter(db, {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
    providers,
    secret: env.authSecret,
    trustHost: true,
    basePath: "/api/auth",
    session: { strategy: "database", maxAge: 7 * 24 * 60 * 60 },
    pages: { signIn: "/signin", verifyRequest: "/signin/check-email", error: "/signin" },
    logger: {
      // A used or expired link is an everyday event, not a server error.
      error(error) {
        const type = (error as { type?: string }).type;
        if (type === "Verification" || type === "AccessDenied") logger.warn(`sign-in refused: ${type}`);
        else logger.error(`auth: ${error.message}`, { type });
      },
      warn(code) {
        logger.warn(`auth: ${code}`);
      },
    },
    callbacks: {
      // Invited operators only: a user row with at least one membership.
      async signIn({ user, email }) {
        if (email?.verificationRequest) return true;
        if (!user.email) return false;
        return hasMembership(db, user.email);
      },
      async session({ session, user }) {
        session.user.id = user.id;
        return session;
      },
    },
  };
}
