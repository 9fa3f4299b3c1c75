import { describe, expect, it } from "vitest";
import { recordCaseEvent } from "@/lib/dunning/cases";
import { getCaseDetail } from "@/lib/dunning/queries";
import { makeSimulation } from "../../helpers/dunning";

describe("the case timeline", () => {
  it("keeps events written at the same instant in the order they were written (ids are random)", async () => {
    const sim = await makeSimulation();
    const { caseId } = await sim.failingRenewal("tok_insufficient_funds");
    const c = await sim.caseOf(caseId!);
    const at = new Date("2026-03-02T12:00:00Z");
    const types = Array.from({ length: 12 }, (_, i) => `step_${String(i).padStart(2, "0")}`).reverse();
    await sim.db.transaction(async (tx) => {
      for (const type of types) await recordCaseEvent(tx, c, at, type, type);
    });
    const { events } = await getCaseDetail(sim.db, sim.workspaceId, caseId!);
    expect(events.filter((e) => e.at.getTime() === at.getTime()).map((e) => e.type)).toEqual(types);
  });
});
