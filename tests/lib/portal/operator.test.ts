import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, caseEvents } from "@/drizzle/schema";
import { settleCase } from "@/lib/dunning/case-actions";
import { workspaceClock } from "@/lib/dunning/clock";
import { requestHelp, listOpenHelpRequests } from "@/lib/portal/help";
import { resolvePortalLink } from "@/lib/portal/links";
import { issueOperatorPortalLink, openHelpRequestsOfCase, resolveCaseHelpRequest, revokeCasePortalLinks } from "@/lib/portal/operator";
import { exchangeLinkToken, readPortalSession } from "@/lib/portal/sessions";
import { makeSimulation, portalCaseOf } from "./helpers";

const operator = { kind: "user", userId: "usr_op" } as const;
const tokenOf = (url: string) => url.split("/portal/l/")[1]!;
const auditOf = async (sim: { db: Awaited<ReturnType<typeof makeSimulation>>["db"] }, caseId: string) =>
  (await sim.db.select().from(auditLog).where(eq(auditLog.targetId, caseId))).map((a) => ({ action: a.action, actor: a.actor, workspaceId: a.workspaceId }));

describe("the operator's portal controls", () => {
  it("lists a case's open help requests and resolves one only within its own workspace", async () => {
    const sim = await makeSimulation();
    const elsewhere = await makeSimulation();
    const { caseId } = await sim.failingRenewal("tok_insufficient_funds");
    const other = await sim.failingRenewal("tok_insufficient_funds");
    const { requestId } = await requestHelp(sim.db, await portalCaseOf(sim, caseId!), { topic: "dispute", message: "I never signed up for Pro." });
    await requestHelp(sim.db, await portalCaseOf(sim, other.caseId!), { topic: "question", message: "Can I pay by invoice?" });

    expect(await openHelpRequestsOfCase(sim.db, sim.workspaceId, caseId!)).toEqual([expect.objectContaining({ id: requestId, topic: "dispute", message: "I never signed up for Pro." })]);
    expect(await openHelpRequestsOfCase(elsewhere.db, elsewhere.workspaceId, caseId!)).toEqual([]);

    // Another workspace's operator holds the real request id and still cannot resolve it.
    await expect(resolveCaseHelpRequest(elsewhere.db, elsewhere.workspaceId, requestId, operator)).rejects.toMatchObject({ code: "not_found" });
    expect((await listOpenHelpRequests(sim.db, sim.workspaceId)).count).toBe(2);

    await resolveCaseHelpRequest(sim.db, sim.workspaceId, requestId, operator);
    expect(await openHelpRequestsOfCase(sim.db, sim.workspaceId, caseId!)).toEqual([]);
    expect((await listOpenHelpRequests(sim.db, sim.workspaceId)).count).toBe(1);
    expect(await auditOf(sim, caseId!)).toContainEqual({ action: "portal.help_resolved", actor: "user:usr_op", workspaceId: sim.workspaceId });
    // Resolving twice is an error the operator reads, not a second audit entry.
    await expect(resolveCaseHelpRequest(sim.db, sim.workspaceId, requestId, operator)).rejects.toMatchObject({ code: "not_found" });
    expect((await auditOf(sim, caseId!)).filter((a) => a.action === "portal.help_resolved")).toHaveLength(1);
  });

  it("revoking ends every link and session of the case, is audited and on the timeline; a fresh link works", async () => {
    const sim = await makeSimulation();
    const elsewhere = await makeSimulation();
    const { caseId } = await sim.failingRenewal("tok_generic_decline");
    const issued = await issueOperatorPortalLink(sim.db, sim.workspaceId, caseId!, operator);
    // Thirty days on the workspace's clock (the real one here: operators' actions do not run on the simulation's).
    const now = (await workspaceClock(sim.db, sim.workspaceId)).now().getTime();
    expect(Math.abs(issued.expiresAt.getTime() - now - 30 * 86_400_000)).toBeLessThan(60_000);
    const exchange = await exchangeLinkToken(sim.db, tokenOf(issued.url), sim.clock);
    if (exchange.status !== "session") throw new Error(`expected a session, got ${exchange.status}`);

    await expect(revokeCasePortalLinks(elsewhere.db, elsewhere.workspaceId, caseId!, operator)).rejects.toMatchObject({ code: "not_found" });
    expect((await resolvePortalLink(sim.db, tokenOf(issued.url), sim.clock)).status).toBe("valid");

    expect(await revokeCasePortalLinks(sim.db, sim.workspaceId, caseId!, operator)).toBe(2);
    expect((await resolvePortalLink(sim.db, tokenOf(issued.url), sim.clock)).status).toBe("revoked");
    expect(await readPortalSession(sim.db, exchange.cookie, sim.clock)).toBeNull();
    const fresh = await issueOperatorPortalLink(sim.db, sim.workspaceId, caseId!, operator);
    expect((await resolvePortalLink(sim.db, tokenOf(fresh.url), sim.clock)).status).toBe("valid");

    expect((await auditOf(sim, caseId!)).map((a) => a.action)).toEqual(expect.arrayContaining(["case.portal_link_issued", "case.portal_links_revoked"]));
    expect(await auditOf(sim, caseId!)).toContainEqual({ action: "case.portal_links_revoked", actor: "user:usr_op", workspaceId: sim.workspaceId });
    const events = await sim.db.select({ type: caseEvents.type }).from(caseEvents).where(and(eq(caseEvents.caseId, caseId!), eq(caseEvents.type, "portal_links_revoked")));
    expect(events).toHaveLength(1);
  });

  it("issues no link for another workspace's case or a settled one", async () => {
    const sim = await makeSimulation();
    const elsewhere = await makeSimulation();
    const { caseId } = await sim.failingRenewal("tok_generic_decline");
    await expect(issueOperatorPortalLink(elsewhere.db, elsewhere.workspaceId, caseId!, operator)).rejects.toMatchObject({ code: "not_found" });
    await settleCase(sim.db, sim.workspaceId, caseId!, "paid_out_of_band", operator, "bank transfer");
    await expect(issueOperatorPortalLink(sim.db, sim.workspaceId, caseId!, operator)).rejects.toMatchObject({ code: "conflict" });
    expect((await auditOf(sim, caseId!)).map((a) => a.action)).not.toContain("case.portal_link_issued");
  });
});
