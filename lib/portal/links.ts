import { and, eq, sql } from "drizzle-orm";
import { dunningCases, portalLinks } from "@/drizzle/schema";
import { systemClock, type Clock } from "@/lib/clock";
import type { DbOrTx } from "@/lib/db/client";
import { workspaceClock } from "@/lib/dunning/clock";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { revokeCardLinks } from "./card-links";
import { signPortalLinkToken, verifyPortalLinkToken, type PortalClaims, type PortalKeyring } from "./tokens";

/** A link in an email stays valid this long (a reminder read weeks later still opens the portal). */
export const PORTAL_LINK_TTL_MS = 30 * 24 * 3600_000;

/** The case's current token version (1 until a revocation bumps it). */
export async function tokenVersionOf(db: DbOrTx, caseId: string): Promise<number> {
  const [row] = await db.select({ version: portalLinks.tokenVersion }).from(portalLinks).where(eq(portalLinks.caseId, caseId));
  return row?.version ?? 1;
}

/**
 * The portal URL for a case's customer: `${appUrl}/portal/l/<token>`, valid for 30 days
 * from `now` (pass the workspace's clock time so sandbox test clocks apply).
 */
export async function portalLinkFor(
  db: DbOrTx,
  caseId: string,
  now: Date,
  options: { ttlMs?: number; appUrl?: string; keyring?: PortalKeyring } = {},
): Promise<string> {
  const [c] = await db.select({ workspaceId: dunningCases.workspaceId, customerId: dunningCases.customerId }).from(dunningCases).where(eq(dunningCases.id, caseId));
  if (!c) throw new AppError("not_found", `No case ${caseId}.`);
  const claims: PortalClaims = { ...c, caseId, version: await tokenVersionOf(db, caseId), expiresAt: new Date(now.getTime() + (options.ttlMs ?? PORTAL_LINK_TTL_MS)) };
  return `${options.appUrl ?? getEnv().appUrl}/portal/l/${signPortalLinkToken(claims, options.keyring)}`;
}

/**
 * Revoke every link and portal session of a case issued so far, and the customer's
 * case-free card links with them (a revoked customer should not keep a way in); returns the
 * case's new version.
 */
export async function revokePortalLinks(db: DbOrTx, workspaceId: string, caseId: string, now: Date): Promise<number> {
  const [c] = await db
    .select({ id: dunningCases.id, customerId: dunningCases.customerId })
    .from(dunningCases)
    .where(and(eq(dunningCases.id, caseId), eq(dunningCases.workspaceId, workspaceId)));
  if (!c) throw new AppError("not_found", "No such case in this workspace.");
  await revokeCardLinks(db, workspaceId, c.customerId);
  const [row] = await db
    .insert(portalLinks)
    .values({ caseId, workspaceId, tokenVersion: 2, revokedAt: now })
    .onConflictDoUpdate({ target: portalLinks.caseId, set: { tokenVersion: sql`${portalLinks.tokenVersion} + 1`, revokedAt: now, updatedAt: new Date() } })
    .returning({ version: portalLinks.tokenVersion });
  return row!.version;
}

export type LinkResolution =
  | { status: "valid"; claims: PortalClaims; now: Date }
  /** Authentic but past its expiry: the customer may ask for a fresh link. */
  | { status: "expired"; claims: PortalClaims }
  /** Authentic but its case's links were revoked: treated like an expired link. */
  | { status: "revoked"; claims: PortalClaims }
  /** Tampered, malformed, signed with an unknown key, or naming a case that does not exist. */
  | { status: "invalid" };

/** Check a link token: signature, then the case (same workspace and customer), version and expiry on the workspace's clock. */
export async function resolvePortalLink(db: DbOrTx, token: string, base: Clock = systemClock, keyring?: PortalKeyring): Promise<LinkResolution> {
  const claims = verifyPortalLinkToken(token, keyring);
  if (!claims) return { status: "invalid" };
  const [c] = await db
    .select({ id: dunningCases.id })
    .from(dunningCases)
    .where(and(eq(dunningCases.id, claims.caseId), eq(dunningCases.workspaceId, claims.workspaceId), eq(dunningCases.customerId, claims.customerId)));
  if (!c) return { status: "invalid" };
  if (claims.version !== (await tokenVersionOf(db, claims.caseId))) return { status: "revoked", claims };
  const now = (await workspaceClock(db, claims.workspaceId, base)).now();
  if (claims.expiresAt <= now) return { status: "expired", claims };
  return { status: "valid", claims, now };
}
