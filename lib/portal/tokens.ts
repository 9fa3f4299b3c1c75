import { createHash, createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { getEnv } from "@/lib/env";

/**
 * Signed portal tokens: base64url(JSON claims) "." key id "." base64url(HMAC-SHA256). The
 * key is derived from AUTH_SECRET per purpose (a link token never verifies as a session
 * cookie and the other way round), and named by a key id so a rotated secret keeps the
 * links it signed working: the keyring signs with the current key and accepts the previous
 * ones. Verification is constant-time and checks the signature before reading any claim.
 */

/** A case's link and session; a customer's case-free card-update link and session (pre-dunning). */
export type TokenPurpose = "portal-link" | "portal-session" | "card-link" | "card-session";

type NamedKey = { id: string; key: Buffer };
export type PortalKeyring = { purpose: TokenPurpose; current: NamedKey; previous: readonly NamedKey[] };

function deriveKey(secret: string, purpose: TokenPurpose): NamedKey {
  const key = Buffer.from(hkdfSync("sha256", secret, "dunwell", `${purpose}-v1`, 32));
  // The id names the key without revealing it: a short hash of the derived key.
  return { id: `k${createHash("sha256").update(key).digest("hex").slice(0, 8)}`, key };
}

/**
 * The keys for one purpose. `previousSecrets` are AUTH_SECRET values used before a
 * rotation. Without arguments: AUTH_SECRET and AUTH_SECRET_PREVIOUS from the env module;
 * an explicit secret comes with only the previous secrets given alongside it.
 */
export function portalKeyring(purpose: TokenPurpose, secret?: string, previousSecrets?: readonly string[]): PortalKeyring {
  const env = secret === undefined ? getEnv() : undefined;
  const current = deriveKey(secret ?? env!.authSecret, purpose);
  const previous = previousSecrets ?? env?.previousAuthSecrets ?? [];
  return { purpose, current, previous: previous.map((s) => deriveKey(s, purpose)).filter((k) => k.id !== current.id) };
}

const mac = (signed: string, key: Buffer) => createHmac("sha256", key).update(signed, "utf8").digest();

export function signToken(claims: Record<string, unknown>, keyring: PortalKeyring): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, p: keyring.purpose }), "utf8").toString("base64url");
  const signed = `${payload}.${keyring.current.id}`;
  return `${signed}.${mac(signed, keyring.current.key).toString("base64url")}`;
}

/** The claims of an authentic token of this keyring's purpose, or null (malformed, unknown key, bad signature). */
export function verifyToken(token: string | null | undefined, keyring: PortalKeyring): Record<string, unknown> | null {
  const parts = (token ?? "").trim().split(".");
  if (parts.length !== 3) return null;
  const [payload, keyId, signature] = parts as [string, string, string];
  const key = [keyring.current, ...keyring.previous].find((k) => k.id === keyId);
  if (!key || !/^[A-Za-z0-9_-]+$/.test(payload) || !/^[A-Za-z0-9_-]+$/.test(signature)) return null;
  const expected = mac(`${payload}.${keyId}`, key.key);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    if (typeof claims !== "object" || claims === null || Array.isArray(claims)) return null;
    const record = claims as Record<string, unknown>;
    return record.p === keyring.purpose ? record : null;
  } catch {
    return null;
  }
}

/** What a portal link or session names: one customer's case in one workspace. */
export type PortalClaims = {
  workspaceId: string;
  customerId: string;
  caseId: string;
  /** The case's token version when signed; a bumped version revokes it. */
  version: number;
  expiresAt: Date;
};

export function encodeClaims(claims: PortalClaims): Record<string, unknown> {
  return { w: claims.workspaceId, cu: claims.customerId, ca: claims.caseId, v: claims.version, exp: Math.floor(claims.expiresAt.getTime() / 1000) };
}

export function decodeClaims(raw: Record<string, unknown> | null): PortalClaims | null {
  if (!raw) return null;
  const { w, cu, ca, v, exp } = raw;
  if (typeof w !== "string" || typeof cu !== "string" || typeof ca !== "string" || !w || !cu || !ca) return null;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || typeof exp !== "number" || !Number.isFinite(exp)) return null;
  return { workspaceId: w, customerId: cu, caseId: ca, version: v, expiresAt: new Date(exp * 1000) };
}

export const signPortalLinkToken = (claims: PortalClaims, keyring = portalKeyring("portal-link")) => signToken(encodeClaims(claims), keyring);

/** Authentic link claims (expired or not: the caller decides with the workspace's clock), or null. */
export const verifyPortalLinkToken = (token: string | null | undefined, keyring = portalKeyring("portal-link")) => decodeClaims(verifyToken(token, keyring));
