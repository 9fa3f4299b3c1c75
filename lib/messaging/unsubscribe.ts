import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import { workspaces, type MessageChannelKind, type SuppressionReason } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getMessagingSettings } from "./settings";
import { addSuppression, findSuppression, normalizeRecipient } from "./suppressions";

/**
 * Unsubscribe links: a token naming the workspace, channel and recipient, signed with an
 * HMAC key derived from AUTH_SECRET (earlier secrets, AUTH_SECRET_PREVIOUS, still verify). It never expires (a reminder read weeks later must
 * still unsubscribe) and needs no sign-in; anyone holding it can only unsubscribe that address.
 */

export type UnsubscribeSubject = { workspaceId: string; channel: MessageChannelKind; recipient: string };

function signingKey(secret = getEnv().authSecret): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "dunwell", "unsubscribe-token-v1", 32));
}

const mac = (payload: string, key: Buffer) => createHmac("sha256", key).update(payload, "utf8").digest();

export function signUnsubscribeToken(subject: UnsubscribeSubject, secret?: string): string {
  const payload = Buffer.from(JSON.stringify([subject.workspaceId, subject.channel, normalizeRecipient(subject.channel, subject.recipient)]), "utf8").toString("base64url");
  return `${payload}.${mac(payload, signingKey(secret)).toString("base64url")}`;
}

/**
 * The subject of a token, or null when it is malformed or its signature does not match.
 * Tokens never expire, so those signed before an AUTH_SECRET rotation must keep working:
 * without an explicit secret, the current and the previous secrets (AUTH_SECRET_PREVIOUS)
 * are each tried.
 */
export function verifyUnsubscribeToken(token: string | null | undefined, secret?: string): UnsubscribeSubject | null {
  const [payload, signature, extra] = (token ?? "").trim().split(".");
  if (!payload || !signature || extra !== undefined) return null;
  const given = Buffer.from(signature, "base64url");
  const secrets = secret ? [secret] : [getEnv().authSecret, ...getEnv().previousAuthSecrets];
  const signedBy = (s: string) => {
    const expected = mac(payload, signingKey(s));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  if (!secrets.some(signedBy)) return null;
  try {
    const [workspaceId, channel, recipient] = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown[];
    if (typeof workspaceId !== "string" || (channel !== "email" && channel !== "sms") || typeof recipient !== "string" || !recipient) return null;
    return { workspaceId, channel, recipient };
  } catch {
    return null;
  }
}

/** Where a reminder's footer link points: a page that asks before unsubscribing. */
export const unsubscribePageUrl = (token: string, appUrl = getEnv().appUrl) => `${appUrl}/unsubscribe?token=${encodeURIComponent(token)}`;

/**
 * The List-Unsubscribe address (RFC 8058): mail clients POST `List-Unsubscribe=One-Click`
 * to it. A route of its own, since Next.js cannot hold a page and a route handler at /unsubscribe.
 */
export const oneClickUnsubscribeUrl = (token: string, appUrl = getEnv().appUrl) => `${appUrl}/api/unsubscribe?token=${encodeURIComponent(token)}`;

/** "j•••@example.com": enough for the reader to recognise the address, not to harvest it. */
export function maskRecipient(recipient: string): string {
  const at = recipient.indexOf("@");
  if (at < 1) return recipient.length > 4 ? `•••${recipient.slice(-4)}` : "•••";
  return `${recipient[0]}•••${recipient.slice(at)}`;
}

export type UnsubscribeOutcome = { status: "unsubscribed" | "already"; recipient: string; workspaceName: string };

/** What the page shows before the click: whose list, which address. */
export async function describeUnsubscribe(
  db: DbOrTx,
  token: string | null | undefined,
): Promise<{ recipient: string; workspaceName: string; channel: MessageChannelKind; suppressed: SuppressionReason | null }> {
  const subject = verifyUnsubscribeToken(token);
  if (!subject) throw new AppError("invalid_input", "This unsubscribe link is not valid. Use the link from the latest email, or reply to it and ask to be removed.");
  const [workspace] = await db.select({ name: workspaces.name }).from(workspaces).where(eq(workspaces.id, subject.workspaceId));
  if (!workspace) throw new AppError("not_found", "The sender of this email no longer uses Dunwell; there is nothing to unsubscribe from.");
  const { branding } = await getMessagingSettings(db, subject.workspaceId);
  const suppression = await findSuppression(db, subject.workspaceId, subject.channel, subject.recipient);
  return { recipient: maskRecipient(subject.recipient), workspaceName: branding.name || workspace.name, channel: subject.channel, suppressed: suppression?.reason ?? null };
}

/** Record the unsubscribe (idempotent: a second click says it was already done). */
export async function unsubscribe(db: DbOrTx, token: string | null | undefined, options: { now: Date; source: "page" | "one-click" }): Promise<UnsubscribeOutcome> {
  const subject = verifyUnsubscribeToken(token);
  const described = await describeUnsubscribe(db, token);
  const result = await addSuppression(db, { ...subject!, reason: "unsubscribed", at: options.now, actor: { kind: "system" }, source: `unsubscribe:${options.source}` });
  return { status: result.added ? "unsubscribed" : "already", recipient: described.recipient, workspaceName: described.workspaceName };
}

export type UnsubscribeResponse = { status: number; body?: Record<string, unknown>; location?: string };

/**
 * POST /api/unsubscribe?token=…: a mail client's one-click unsubscribe (body
 * `List-Unsubscribe=One-Click`, answered with 200 and no redirect, as RFC 8058 asks) or the
 * unsubscribe page's form (answered with a redirect back to the page, which shows the result).
 */
export async function receiveUnsubscribe(db: DbOrTx, request: Request, now: Date = new Date()): Promise<UnsubscribeResponse> {
  const url = new URL(request.url);
  const form = await request.formData().catch(() => new FormData());
  const token = url.searchParams.get("token") ?? String(form.get("token") ?? "");
  const oneClick = form.get("List-Unsubscribe") === "One-Click";
  const page = `${getEnv().appUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
  if (!verifyUnsubscribeToken(token)) return oneClick ? { status: 400, body: { error: "Invalid unsubscribe token." } } : { status: 303, location: page };
  try {
    const outcome = await unsubscribe(db, token, { now, source: oneClick ? "one-click" : "page" });
    return oneClick ? { status: 200, body: { unsubscribed: true, already: outcome.status === "already" } } : { status: 303, location: page };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return oneClick ? { status: 404, body: { error: error.message } } : { status: 303, location: page };
    throw error;
  }
}
