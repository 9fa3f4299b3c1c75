import { and, eq } from "drizzle-orm";
import { connections, customers, dunningCases, workspaces } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { resolveTimeZone } from "@/lib/dunning/slots";
import { getMessagingSettings } from "@/lib/messaging/settings";
import type { PortalBrand } from "./context";
import { portalText, type PortalText } from "./i18n";
import { decodeClaims, portalKeyring, verifyToken, type PortalClaims } from "./tokens";

/**
 * The frame of the pages shown without a live session (expired link, session ended): the
 * brand and language of the case an authentic but expired token names, so a customer still
 * sees who is asking and in their language. Nothing of the case itself is shown.
 */
export type PublicFrame = { brand: PortalBrand; sandbox: boolean; text: PortalText };

export function claimsOf(tokens: { link?: string; session?: string }): PortalClaims | null {
  return decodeClaims(verifyToken(tokens.link, portalKeyring("portal-link"))) ?? decodeClaims(verifyToken(tokens.session, portalKeyring("portal-session")));
}

export async function publicFrame(db: DbOrTx, tokens: { link?: string; session?: string }): Promise<PublicFrame> {
  const claims = claimsOf(tokens);
  const [row] = claims
    ? await db
        .select({ workspace: workspaces, customer: customers, provider: connections.provider })
        .from(dunningCases)
        .innerJoin(workspaces, eq(workspaces.id, dunningCases.workspaceId))
        .innerJoin(customers, eq(customers.id, dunningCases.customerId))
        .innerJoin(connections, eq(connections.id, dunningCases.connectionId))
        .where(and(eq(dunningCases.id, claims.caseId), eq(dunningCases.workspaceId, claims.workspaceId), eq(dunningCases.customerId, claims.customerId)))
    : [];
  if (!row) return { brand: { name: "Dunwell" }, sandbox: false, text: portalText(null, null, "UTC") };
  const { branding } = await getMessagingSettings(db, row.workspace.id);
  return {
    brand: { name: branding.name || row.workspace.name, color: branding.color, supportEmail: branding.supportEmail },
    sandbox: row.provider === "sandbox" || row.workspace.isDemo,
    text: portalText(row.customer.locale, row.workspace.defaultLocale, resolveTimeZone(row.customer.timezone, row.workspace.timezone)),
  };
}
