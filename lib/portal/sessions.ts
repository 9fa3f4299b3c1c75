import { and, eq } from "drizzle-orm";
import { dunningCases } from "@/drizzle/schema";
import { systemClock, type Clock } from "@/lib/clock";
import type { DbOrTx } from "@/lib/db/client";
import { workspaceClock } from "@/lib/dunning/clock";
import { getEnv } from "@/lib/env";
import { sessionCookie } from "./cookies";
import { resolvePortalLink, tokenVersionOf } from "./links";
import { decodeClaims, encodeClaims, portalKeyring, signToken, verifyToken, type PortalClaims, type PortalKeyring } from "./tokens";

/**
 * The first visit exchanges the link token for a short-lived session cookie (HttpOnly,
 * SameSite=Lax, Secure on https) and redirects to /portal, so the token leaves the address
 * bar, the history and any Referer. The cookie is signed with its own key and names the
 * same workspace, customer, case and token version: revoking the case's links ends it too.
 */

export const PORTAL_SESSION_TTL_MS = 2 * 3600_000;

export type PortalSession = PortalClaims;

export const portalSessionCookie = (appUrl = getEnv().appUrl) => sessionCookie("dunwell-portal", PORTAL_SESSION_TTL_MS, appUrl);

export const signPortalSession = (session: PortalSession, keyring: PortalKeyring = portalKeyring("portal-session")) => signToken(encodeClaims(session), keyring);

export type SessionExchange = { status: "session"; cookie: string; session: PortalSession } | { status: "expired" | "revoked"; token: string } | { status: "invalid" };

/** A link token → a session cookie value (valid link), or what to show instead. */
export async function exchangeLinkToken(db: DbOrTx, token: string, base: Clock = systemClock, keyrings: { link?: PortalKeyring; session?: PortalKeyring } = {}): Promise<SessionExchange> {
  const link = await resolvePortalLink(db, token, base, keyrings.link);
  if (link.status === "invalid") return link;
  if (link.status !== "valid") return { status: link.status, token };
  // Never longer than the link itself.
  const expiresAt = new Date(Math.min(link.now.getTime() + PORTAL_SESSION_TTL_MS, link.claims.expiresAt.getTime()));
  const session: PortalSession = { ...link.claims, expiresAt };
  return { status: "session", cookie: signPortalSession(session, keyrings.session), session };
}

/**
 * The session a cookie holds, when authentic, unexpired on the workspace's clock, and its
 * case still belongs to that workspace and customer with the same token version; else null.
 */
export async function readPortalSession(db: DbOrTx, cookie: string | null | undefined, base: Clock = systemClock, keyring: PortalKeyring = portalKeyring("portal-session")): Promise<PortalSession | null> {
  const session = decodeClaims(verifyToken(cookie, keyring));
  if (!session) return null;
  const [c] = await db
    .select({ id: dunningCases.id })
    .from(dunningCases)
    .where(and(eq(dunningCases.id, session.caseId), eq(dunningCases.workspaceId, session.workspaceId), eq(dunningCases.customerId, session.customerId)));
  if (!c) return null;
  if ((await tokenVersionOf(db, session.caseId)) !== session.version) return null;
  const now = (await workspaceClock(db, session.workspaceId, base)).now();
  return session.expiresAt > now ? session : null;
}
