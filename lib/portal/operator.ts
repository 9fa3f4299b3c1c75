import { and, asc, eq } from "drizzle-orm";
import { dunningCases, portalRequests } from "@/drizzle/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import type { Db, DbOrTx } from "@/lib/db/client";
import { recordCaseEvent } from "@/lib/dunning/cases";
import { workspaceClock } from "@/lib/dunning/clock";
import { AppError } from "@/lib/errors";
import { resolveHelpRequest } from "./help";
import { PORTAL_LINK_TTL_MS, portalLinkFor, revokePortalLinks } from "./links";

/**
 * The operator's side of the portal, per case: the customer's open help requests, resolving
 * one, revoking every link and session (a forwarded email, a shared screen), and a fresh link
 * to send by hand. Each change is audited and written to the case timeline; a link is a
 * credential, so issuing one is audited too.
 */

async function caseInWorkspace(db: DbOrTx, workspaceId: string, caseId: string) {
  const [c] = await db.select().from(dunningCases).where(and(eq(dunningCases.id, caseId), eq(dunningCases.workspaceId, workspaceId)));
  if (!c) throw new AppError("not_found", "No such case in this workspace.");
  return c;
}

/** A case's open help requests, oldest first (the order the customer asked). */
export async function openHelpRequestsOfCase(db: DbOrTx, workspaceId: string, caseId: string) {
  return db
    .select({ id: portalRequests.id, topic: portalRequests.topic, message: portalRequests.message, createdAt: portalRequests.createdAt })
    .from(portalRequests)
    .where(and(eq(portalRequests.workspaceId, workspaceId), eq(portalRequests.caseId, caseId), eq(portalRequests.kind, "help"), eq(portalRequests.status, "open")))
    .orderBy(asc(portalRequests.createdAt));
}

/** Resolve on the workspace's clock (sandbox test clocks included). */
export async function resolveCaseHelpRequest(db: Db, workspaceId: string, requestId: string, actor: Actor): Promise<void> {
  await resolveHelpRequest(db, workspaceId, requestId, actor, (await workspaceClock(db, workspaceId)).now());
}

/** Every link and portal session of the case stops working at once; returns the new token version. */
export async function revokeCasePortalLinks(db: Db, workspaceId: string, caseId: string, actor: Actor): Promise<number> {
  const now = (await workspaceClock(db, workspaceId)).now();
  return db.transaction(async (tx) => {
    const c = await caseInWorkspace(tx, workspaceId, caseId);
    const version = await revokePortalLinks(tx, workspaceId, caseId, now);
    await recordAudit(tx, { workspaceId, actor, action: "case.portal_links_revoked", targetType: "case", targetId: c.id, data: { version }, at: now });
    await recordCaseEvent(tx, c, now, "portal_links_revoked", "An operator revoked the customer's portal links; links sent before now no longer open the portal.", { version });
    return version;
  });
}

/** A fresh portal link for an open or paused case, valid 30 days on the workspace's clock. */
export async function issueOperatorPortalLink(db: Db, workspaceId: string, caseId: string, actor: Actor): Promise<{ url: string; expiresAt: Date }> {
  const now = (await workspaceClock(db, workspaceId)).now();
  return db.transaction(async (tx) => {
    const c = await caseInWorkspace(tx, workspaceId, caseId);
    // A settled case has nothing left to pay or arrange.
    if (c.status !== "open" && c.status !== "paused") throw new AppError("conflict", `This case is ${c.status}; portal links are only for open or paused cases.`);
    const expiresAt = new Date(now.getTime() + PORTAL_LINK_TTL_MS);
    const url = await portalLinkFor(tx, c.id, now);
    await recordAudit(tx, { workspaceId, actor, action: "case.portal_link_issued", targetType: "case", targetId: c.id, data: { expiresAt: expiresAt.toISOString() }, at: now });
    await recordCaseEvent(tx, c, now, "portal_link_issued", "An operator created a portal link to send by hand.", { expiresAt: expiresAt.toISOString() });
    return { url, expiresAt };
  });
}
