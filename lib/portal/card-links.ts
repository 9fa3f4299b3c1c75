import { and, eq, sql } from "drizzle-orm";
import { customers } from "@/drizzle/schema";
import { systemClock, type Clock } from "@/lib/clock";
import type { DbOrTx } from "@/lib/db/client";
import { workspaceClock } from "@/lib/dunning/clock";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { sessionCookie } from "./cookies";
import { portalKeyring, signToken, verifyToken, type PortalKeyring } from "./tokens";

/**
 * Case-free card-update links, for the pre-dunning email ("your card expires before your
 * renewal"): the customer owes nothing yet, so there is no case to name. The token names
 * one customer of one workspace and the customer's card-link version, signed under its own
 * purpose (a case link never verifies as a card link, nor the other way round). It opens
 * one thing only: the card-update page. Bumping `customers.card_link_version` revokes every
 * card link and card session of that customer.
 */

export type CardLinkClaims = { workspaceId: string; customerId: string; version: number; expiresAt: Date };

/** Long enough to reach past the renewal the email warns about (notices go out up to 30 days before it). */
export const CARD_LINK_TTL_MS = 45 * 24 * 3600_000;
/** The session a card link opens: enough to fetch a card and come back from a hosted page. */
export const CARD_SESSION_TTL_MS = 3600_000;

const encode = (c: CardLinkClaims) => ({ w: c.workspaceId, cu: c.customerId, v: c.version, exp: Math.floor(c.expiresAt.getTime() / 1000) });

function decode(raw: Record<string, unknown> | null): CardLinkClaims | null {
  if (!raw) return null;
  const { w, cu, v, exp } = raw;
  if (typeof w !== "string" || typeof cu !== "string" || !w || !cu) return null;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || typeof exp !== "number" || !Number.isFinite(exp)) return null;
  return { workspaceId: w, customerId: cu, version: v, expiresAt: new Date(exp * 1000) };
}

export const signCardToken = (claims: CardLinkClaims, keyring: PortalKeyring) => signToken(encode(claims), keyring);
export const verifyCardToken = (token: string | null | undefined, keyring: PortalKeyring) => decode(verifyToken(token, keyring));

async function versionOf(db: DbOrTx, workspaceId: string, customerId: string): Promise<number | null> {
  const [row] = await db
    .select({ version: customers.cardLinkVersion })
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.workspaceId, workspaceId)));
  return row?.version ?? null;
}

/** `${appUrl}/portal/c/<token>`: the card-update page for this customer, valid 45 days from `now` (the workspace's clock). */
export async function cardLinkFor(
  db: DbOrTx,
  workspaceId: string,
  customerId: string,
  now: Date,
  options: { ttlMs?: number; appUrl?: string; keyring?: PortalKeyring } = {},
): Promise<string> {
  const version = await versionOf(db, workspaceId, customerId);
  if (version === null) throw new AppError("not_found", `No customer ${customerId} in this workspace.`);
  const claims: CardLinkClaims = { workspaceId, customerId, version, expiresAt: new Date(now.getTime() + (options.ttlMs ?? CARD_LINK_TTL_MS)) };
  return `${options.appUrl ?? getEnv().appUrl}/portal/c/${signCardToken(claims, options.keyring ?? portalKeyring("card-link"))}`;
}

/** Revoke every card link and card session of a customer issued so far; returns the new version. */
export async function revokeCardLinks(db: DbOrTx, workspaceId: string, customerId: string): Promise<number> {
  const [row] = await db
    .update(customers)
    .set({ cardLinkVersion: sql`${customers.cardLinkVersion} + 1` })
    .where(and(eq(customers.id, customerId), eq(customers.workspaceId, workspaceId)))
    .returning({ version: customers.cardLinkVersion });
  if (!row) throw new AppError("not_found", "No such customer in this workspace.");
  return row.version;
}

export type CardLinkResolution = { status: "valid"; claims: CardLinkClaims; now: Date } | { status: "expired" | "revoked"; claims: CardLinkClaims } | { status: "invalid" };

/** Signature, then the customer (same workspace), version and expiry on the workspace's clock. */
export async function resolveCardToken(db: DbOrTx, token: string | null | undefined, keyring: PortalKeyring, base: Clock = systemClock): Promise<CardLinkResolution> {
  const claims = verifyCardToken(token, keyring);
  if (!claims) return { status: "invalid" };
  const version = await versionOf(db, claims.workspaceId, claims.customerId);
  if (version === null) return { status: "invalid" };
  if (version !== claims.version) return { status: "revoked", claims };
  const now = (await workspaceClock(db, claims.workspaceId, base)).now();
  if (claims.expiresAt <= now) return { status: "expired", claims };
  return { status: "valid", claims, now };
}

export type CardSessionExchange = { status: "session"; cookie: string; claims: CardLinkClaims } | { status: "expired" | "revoked" | "invalid" };

/** A card link → a card-session cookie value (never longer than the link), or why not. */
export async function exchangeCardLink(
  db: DbOrTx,
  token: string,
  base: Clock = systemClock,
  keyrings: { link?: PortalKeyring; session?: PortalKeyring } = {},
): Promise<CardSessionExchange> {
  const link = await resolveCardToken(db, token, keyrings.link ?? portalKeyring("card-link"), base);
  if (link.status !== "valid") return { status: link.status };
  const expiresAt = new Date(Math.min(link.now.getTime() + CARD_SESSION_TTL_MS, link.claims.expiresAt.getTime()));
  const claims = { ...link.claims, expiresAt };
  return { status: "session", cookie: signCardToken(claims, keyrings.session ?? portalKeyring("card-session")), claims };
}

/** The customer a card-session cookie names, when authentic, unrevoked and unexpired; else null. */
export async function readCardSession(db: DbOrTx, cookie: string | null | undefined, base: Clock = systemClock, keyring?: PortalKeyring): Promise<CardLinkClaims | null> {
  const session = await resolveCardToken(db, cookie, keyring ?? portalKeyring("card-session"), base);
  return session.status === "valid" ? session.claims : null;
}

export const cardSessionCookie = (appUrl = getEnv().appUrl) => sessionCookie("dunwell-card", CARD_SESSION_TTL_MS, appUrl);
