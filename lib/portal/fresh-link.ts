import { and, count, eq, gt } from "drizzle-orm";
import { customers, dunningCases, portalRequests, workspaces } from "@/drizzle/schema";
import { systemClock, type Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { workspaceClock } from "@/lib/dunning/clock";
import { newId } from "@/lib/ids";
import { getMessagingSettings } from "@/lib/messaging/settings";
import { portalText } from "./i18n";
import { portalLinkFor } from "./links";
import { notifyPortal } from "./notify";
import { verifyPortalLinkToken, type PortalKeyring } from "./tokens";

/** At most this many fresh-link requests per case per hour, matching or not. */
export const FRESH_LINK_LIMIT = 3;
export const FRESH_LINK_WINDOW_MS = 3600_000;

export type FreshLinkOutcome = "sent" | "mismatch" | "rate_limited" | "invalid";

const normalizeEmail = (email: string) => email.trim().toLowerCase();

/**
 * "Email me a new link" on the expired-link page. The page answers the same whatever this
 * returns (the outcome is for tests and logs): a wrong address, a rate-limited case and a
 * sent link look alike, so the form reveals nothing about the address on file. Every try
 * counts toward the limit, so addresses cannot be guessed either. The link goes only to the
 * address on file, never to the one typed.
 */
export async function requestFreshLink(db: Db, token: string, email: string, base: Clock = systemClock, keyring?: PortalKeyring): Promise<FreshLinkOutcome> {
  const claims = verifyPortalLinkToken(token, keyring);
  if (!claims) return "invalid";
  const [row] = await db
    .select({ caseId: dunningCases.id, customer: customers, workspace: workspaces })
    .from(dunningCases)
    .innerJoin(customers, eq(customers.id, dunningCases.customerId))
    .innerJoin(workspaces, eq(workspaces.id, dunningCases.workspaceId))
    .where(and(eq(dunningCases.id, claims.caseId), eq(dunningCases.workspaceId, claims.workspaceId), eq(dunningCases.customerId, claims.customerId)));
  if (!row) return "invalid";
  const now = (await workspaceClock(db, claims.workspaceId, base)).now();
  const matches = Boolean(row.customer.email) && normalizeEmail(email) === normalizeEmail(row.customer.email!);

  const decision = await db.transaction(async (tx) => {
    // Serialize requests of one case so two at once cannot both pass the limit.
    await tx.select({ id: dunningCases.id }).from(dunningCases).where(eq(dunningCases.id, row.caseId)).for("update");
    const [recent] = await tx
      .select({ n: count() })
      .from(portalRequests)
      .where(and(eq(portalRequests.caseId, row.caseId), eq(portalRequests.kind, "fresh_link"), gt(portalRequests.createdAt, new Date(now.getTime() - FRESH_LINK_WINDOW_MS))));
    const limited = (recent?.n ?? 0) >= FRESH_LINK_LIMIT;
    const id = newId("preq");
    await tx.insert(portalRequests).values({
      id,
      workspaceId: claims.workspaceId,
      caseId: row.caseId,
      customerId: row.customer.id,
      kind: "fresh_link",
      status: limited || !matches ? "refused" : "done",
      data: { matched: matches, limited },
      createdAt: now,
      resolvedAt: now,
    });
    return { id, limited };
  });
  if (decision.limited) return "rate_limited";
  if (!matches) return "mismatch";

  const { branding } = await getMessagingSettings(db, claims.workspaceId);
  const text = portalText(row.customer.locale, row.workspace.defaultLocale, "UTC");
  await notifyPortal(db, {
    kind: "fresh_link",
    workspaceId: claims.workspaceId,
    caseId: row.caseId,
    customerId: row.customer.id,
    to: row.customer.email!,
    url: await portalLinkFor(db, row.caseId, now),
    locale: text.locale,
    brandName: branding.name || row.workspace.name,
    idempotencyKey: `portal:fresh-link:${decision.id}`,
  });
  return "sent";
}
