import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, dunningSteps } from "@/drizzle/schema";
import { extendCase, pauseCase, resumeCase, retryNow, settleCase, skipStep } from "@/lib/dunning/case-actions";
import { runDueSteps } from "@/lib/dunning/engine";
import { getCaseDetail } from "@/lib/dunning/queries";
import { makeSimulation } from "../../helpers/dunning";

const operator = { kind: "user", userId: "usr_operator" } as const;

describe("operator actions on a case", () => {
  it("pause holds every step until resumed; skip and extend re-plan; each action is audited", async () => {
    // Operator actions run on the workspace's clock (real time here), so the case starts now.
    const sim = await makeSimulation({ start: new Date().toISOString() });
    const { caseId } = await sim.failingRenewal("tok_generic_decline");
    await pauseCase(sim.db, sim.workspaceId, caseId!, { reason: "customer called" }, operator);
    sim.clock.advance(2 * 86_400_000);
    const charges = (await sim.chargesAtSandbox()).length;
    await runDueSteps(sim.db, { now: sim.clock.now() });
    expect((await sim.chargesAtSandbox()).length).toBe(charges);
    expect((await sim.caseOf(caseId!)).status).toBe("paused");
    await expect(pauseCase(sim.db, sim.workspaceId, caseId!, { reason: "again", until: new Date("2020-01-01") }, operator)).rejects.toThrow(/future/);

    await resumeCase(sim.db, sim.workspaceId, caseId!, operator);
    const pending = (await sim.stepsOf(caseId!)).filter((s) => s.status === "pending");
    expect(pending.length).toBeGreaterThan(0);
    await skipStep(sim.db, sim.workspaceId, pending[0]!.id, operator);
    const [skipped] = await sim.db.select().from(dunningSteps).where(eq(dunningSteps.id, pending[0]!.id));
    expect(skipped!.status).toBe("skipped");

    const finalBefore = (await sim.stepsOf(caseId!)).find((s) => s.kind === "final_action" && s.status === "pending")!;
    await extendCase(sim.db, sim.workspaceId, caseId!, 7, operator);
    const finalAfter = (await sim.stepsOf(caseId!)).find((s) => s.kind === "final_action" && s.status === "pending")!;
    expect(finalAfter.dueAt.getTime() - finalBefore.dueAt.getTime()).toBe(7 * 86_400_000);

    await retryNow(sim.db, sim.workspaceId, caseId!, operator);
    expect((await sim.stepsOf(caseId!)).some((s) => s.key.startsWith("manual:") && s.status === "pending")).toBe(true);

    const actions = (await sim.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, sim.workspaceId), eq(auditLog.targetId, caseId!)))).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["case.paused", "case.resumed", "case.step_skipped", "case.extended", "case.retry_requested"]));
  }, 60_000);

  it("write off and mark recovered out of band settle through the provider and close the case", async () => {
    const sim = await makeSimulation();
    const a = await sim.failingRenewal("tok_generic_decline");
    const b = await sim.failingRenewal("tok_generic_decline");
    await settleCase(sim.db, sim.workspaceId, a.caseId!, "write_off", operator);
    await settleCase(sim.db, sim.workspaceId, b.caseId!, "paid_out_of_band", operator, "bank transfer");
    expect((await sim.caseOf(a.caseId!)).status).toBe("written_off");
    const recovered = await sim.caseOf(b.caseId!);
    expect(recovered).toMatchObject({ status: "recovered", recoveredMinor: 4900 });
    await sim.sync();
    const detail = await getCaseDetail(sim.db, sim.workspaceId, b.caseId!);
    expect(detail.invoice.status).toBe("paid");
    expect(detail.steps.filter((s) => s.status === "pending")).toHaveLength(0);
    await expect(settleCase(sim.db, sim.workspaceId, b.caseId!, "write_off", operator)).rejects.toThrow(/open or paused/);
  }, 60_000);
});
