import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { caseEvents, installmentPlans, invoices } from "@/drizzle/schema";
import { attachPaymentMethod } from "@/lib/billing/sandbox/simulate";
import { localParts } from "@/lib/dunning/slots";
import { chooseInstallmentPlan } from "@/lib/portal/installment-plans";
import { submitAuthentication } from "@/lib/portal/sandbox-forms";
import { makeSimulation, portalCaseOf, runHours, type Sim } from "./helpers";

const DAY_HOURS = 24;
const planOf = async (sim: Sim, id: string) => (await sim.db.select().from(installmentPlans).where(eq(installmentPlans.id, id)))[0]!;
const chargeData = async (sim: Sim) => (await sim.chargesAtSandbox()).map((c) => c.data as { amount: number; status: string; idempotency_key: string | null; purpose: string });

describe("installment plans", () => {
  it("charges the first part now, pauses the case, and the engine charges the rest until the case is recovered", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const { caseId, invoiceId } = await sim.failingRenewal({ token: "tok_visa", declineUntil: "2026-03-02T12:00:00Z" }, 10000);
    sim.clock.advance(6 * 3600_000); // after payday, before the engine retried
    const before = (await sim.chargesAtSandbox()).length;

    const choice = await chooseInstallmentPlan(sim.db, await portalCaseOf(sim, caseId!), 3);
    expect(choice.status).toBe("active");
    const plan = choice.plan;
    expect(plan.parts.map((p) => [p.n, p.amountMinor, p.status])).toEqual([
      [1, 3334, "paid"],
      [2, 3333, "scheduled"],
      [3, 3333, "scheduled"],
    ]);
    const charges = await chargeData(sim);
    expect(charges.slice(before)).toEqual([expect.objectContaining({ amount: 3334, status: "succeeded", purpose: "installment", idempotency_key: `portal:installment:${plan.id}:1` })]);

    const c = await sim.caseOf(caseId!);
    expect(c).toMatchObject({ status: "paused", pauseReason: "installment plan", pausedUntil: null });
    const pending = (await sim.stepsOf(caseId!)).filter((s) => s.status === "pending");
    expect(pending.map((s) => [s.kind, s.key])).toEqual([
      ["installment", `installment:${plan.id}:2`],
      ["installment", `installment:${plan.id}:3`],
    ]);
    // 30 days apart, at 10:00 in the customer's zone (Berlin), summer time included.
    expect(pending.map((s) => localParts(s.dueAt, "Europe/Berlin"))).toMatchObject([{ month: 4, day: 1, hour: 10 }, { month: 5, day: 1, hour: 10 }]);
    const [event] = await sim.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, caseId!), eq(caseEvents.type, "installment_plan")));
    expect(event!.message).toMatch(/chose 3 installments: €33\.34 on 2026-03-02 \(paid\), €33\.33 on 2026-04-01, €33\.33 on 2026-05-01/);
    expect((await sim.db.select().from(invoices).where(eq(invoices.id, invoiceId)))[0]!.amountRemaining).toBe(6666);

    await runHours(sim, 31 * DAY_HOURS);
    const mid = await planOf(sim, plan.id);
    expect(mid.parts.map((p) => p.status)).toEqual(["paid", "paid", "scheduled"]);
    expect((await sim.caseOf(caseId!)).status).toBe("paused");
    const part2 = (await sim.stepsOf(caseId!)).find((s) => s.key === `installment:${plan.id}:2`)!;
    expect((await chargeData(sim)).some((ch) => ch.idempotency_key === `dunwell:${part2.id}` && ch.amount === 3333)).toBe(true);

    await runHours(sim, 30 * DAY_HOURS, async () => (await sim.caseOf(caseId!)).status !== "paused");
    expect(await sim.caseOf(caseId!)).toMatchObject({ status: "recovered", recoveredMinor: 10000 });
    expect((await planOf(sim, plan.id)).status).toBe("completed");
    expect((await sim.db.select().from(invoices).where(eq(invoices.id, invoiceId)))[0]!.status).toBe("paid");
    // No retry ran during the plan: only the three parts were charged.
    expect((await chargeData(sim)).slice(before).map((ch) => ch.purpose)).toEqual(["installment", "installment", "installment"]);
  }, 180_000);

  it("a first part that needs 3-D Secure waits for the customer; choosing again reuses the plan and charges nothing twice", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const { caseId } = await sim.failingRenewal("tok_authentication_required", 12000);
    const p = await portalCaseOf(sim, caseId!);
    const first = await chooseInstallmentPlan(sim.db, p, 2);
    expect(first).toMatchObject({ status: "requires_action", reference: expect.stringMatching(/^ch_/) });
    const again = await chooseInstallmentPlan(sim.db, await portalCaseOf(sim, caseId!), 2);
    expect(again).toMatchObject({ status: "requires_action", plan: { id: first.plan.id } });
    if (first.status !== "requires_action") return;
    expect((await chargeData(sim)).filter((c) => c.idempotency_key === `portal:installment:${first.plan.id}:1`)).toHaveLength(1);
    expect((await sim.caseOf(caseId!)).status).toBe("open");

    expect(await submitAuthentication(sim.db, await portalCaseOf(sim, caseId!), first.reference!)).toEqual({ kind: "plan_active" });
    expect((await planOf(sim, first.plan.id)).parts.map((x) => x.status)).toEqual(["paid", "scheduled"]);
    expect((await sim.caseOf(caseId!)).status).toBe("paused");
  }, 60_000);

  it("a declined first part leaves the case as it was; a failed later part ends the plan and resumes dunning", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const declined = await sim.failingRenewal("tok_generic_decline", 9000);
    const refused = await chooseInstallmentPlan(sim.db, await portalCaseOf(sim, declined.caseId!), 3);
    expect(refused).toMatchObject({ status: "declined", category: "soft", plan: { status: "failed" } });
    expect((await sim.caseOf(declined.caseId!)).status).toBe("open");
    expect((await sim.stepsOf(declined.caseId!)).some((s) => s.kind === "installment")).toBe(false);

    const { caseId, customer } = await sim.failingRenewal({ token: "tok_visa", declineUntil: "2026-03-02T12:00:00Z" }, 9000);
    sim.clock.advance(6 * 3600_000);
    const choice = await chooseInstallmentPlan(sim.db, await portalCaseOf(sim, caseId!), 3);
    expect(choice.status).toBe("active");
    // The customer's card is replaced by one that declines before part 2.
    await attachPaymentMethod(sim.sandbox, customer.id, "tok_generic_decline", { makeDefault: true });
    await sim.sync();
    await runHours(sim, 31 * DAY_HOURS, async () => (await sim.caseOf(caseId!)).status !== "paused");
    const plan = await planOf(sim, choice.plan.id);
    expect(plan.status).toBe("failed");
    expect(plan.parts.map((x) => x.status)).toEqual(["paid", "failed", "canceled"]);
    const c = await sim.caseOf(caseId!);
    expect(c.status).toBe("open");
    const steps = await sim.stepsOf(caseId!);
    expect(steps.find((s) => s.key === `installment:${plan.id}:3`)!.status).toBe("canceled");
    expect(steps.some((s) => s.status === "pending" && (s.kind === "retry" || s.kind === "final_action"))).toBe(true);
    const types = (await sim.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId!))).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["installment_plan", "installment_failed", "resumed"]));
  }, 180_000);
});
