import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditLog, caseEvents } from "@/drizzle/schema";
import { resumeCase } from "@/lib/dunning/case-actions";
import { listOpenHelpRequests, requestHelp, resolveHelpRequest } from "@/lib/portal/help";
import { setPortalNotifier, type PortalNotice } from "@/lib/portal/notify";
import { makeSimulation, portalCaseOf, runHours } from "./helpers";

afterEach(() => setPortalNotifier(null));

describe("get help", () => {
  it("pauses the case, holds its steps, tells the operator (timeline, badge, notifier) and nothing runs meanwhile", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const notices: PortalNotice[] = [];
    setPortalNotifier(async (_db, notice) => void notices.push(notice));
    const { caseId } = await sim.failingRenewal("tok_insufficient_funds");
    const other = await sim.failingRenewal("tok_insufficient_funds");
    const charges = (await sim.chargesAtSandbox()).length;

    const { requestId } = await requestHelp(sim.db, await portalCaseOf(sim, caseId!), { topic: "dispute", message: "I never signed up for Pro." });
    await requestHelp(sim.db, await portalCaseOf(sim, other.caseId!), { topic: "already_canceled", message: null });
    expect(await sim.caseOf(caseId!)).toMatchObject({ status: "paused", pauseReason: "help requested: dispute", pausedUntil: null });
    expect((await sim.stepsOf(caseId!)).filter((s) => s.status === "pending")).toHaveLength(0);
    const events = await sim.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId!));
    expect(events.find((e) => e.type === "help_requested")!.message).toBe("The customer disputes the charge: “I never signed up for Pro.”");
    expect(notices.map((n) => n.kind)).toEqual(["help_requested", "help_requested"]);
    expect(notices[0]).toMatchObject({ requestId, topic: "dispute", caseId });

    const badge = await listOpenHelpRequests(sim.db, sim.workspaceId);
    expect(badge.count).toBe(2);
    expect(badge.requests.map((r) => r.topic).sort()).toEqual(["already_canceled", "dispute"]);
    // Another workspace sees none of them.
    const elsewhere = await makeSimulation();
    expect((await listOpenHelpRequests(elsewhere.db, elsewhere.workspaceId)).count).toBe(0);

    await runHours(sim, 7 * 24);
    expect((await sim.chargesAtSandbox()).length).toBe(charges);

    await resolveHelpRequest(sim.db, sim.workspaceId, requestId, { kind: "user", userId: "usr_op" });
    expect((await listOpenHelpRequests(sim.db, sim.workspaceId)).count).toBe(1);
    await expect(resolveHelpRequest(elsewhere.db, elsewhere.workspaceId, other.caseId!, { kind: "system" })).rejects.toThrow(/No open help request/);
    // The operator resumes (on the real clock, months after this simulated March): the planner writes the case's steps again.
    await resumeCase(sim.db, sim.workspaceId, caseId!, { kind: "user", userId: "usr_op" });
    expect((await sim.caseOf(caseId!)).status).toBe("open");
    expect((await sim.stepsOf(caseId!)).some((s) => s.status === "pending" && s.kind === "final_action")).toBe(true);
    const audit = (await sim.db.select().from(auditLog).where(eq(auditLog.targetId, caseId!))).map((a) => a.action);
    expect(audit).toEqual(expect.arrayContaining(["case.paused", "portal.help_resolved"]));
  }, 120_000);

  it("a question needs words", async () => {
    const sim = await makeSimulation();
    const { caseId } = await sim.failingRenewal("tok_insufficient_funds");
    await expect(requestHelp(sim.db, await portalCaseOf(sim, caseId!), { topic: "question", message: "  " })).rejects.toThrow(/message/);
    expect((await sim.caseOf(caseId!)).status).toBe("open");
  });
});
