import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { dunningSteps, invoices, subscriptions } from "@/drizzle/schema";
import { providerFor } from "@/lib/billing/providers";
import { connect, getDatabaseUrl } from "@/lib/db/client";
import { claimDueSteps, executeStep, LEASE_MS, runDueSteps } from "@/lib/dunning/engine";
import { idempotencyKeyOf } from "@/lib/dunning/executors";
import { newId } from "@/lib/ids";
import { makeSimulation, type Sim } from "../../helpers/dunning";

const HOUR = 3600_000;

/** Walk the simulation forward hour by hour: engine pass, webhook delivery and processing. */
async function runFor(sim: Sim, days: number, stopWhen?: () => Promise<boolean>) {
  for (let h = 0; h < days * 24; h++) {
    sim.clock.advance(HOUR);
    await runDueSteps(sim.db, { now: sim.clock.now() });
    await sim.sync();
    if (stopWhen && (await stopWhen())) return;
  }
}

describe("dunning engine on the sandbox provider", () => {
  it("opens a case on a failed renewal and recovers it on a later retry within 30 simulated days", async () => {
    const sim = await makeSimulation();
    const { caseId, invoiceId } = await sim.failingRenewal({ token: "tok_visa", declineUntil: "2026-03-13T00:00:00Z" });
    expect(caseId).not.toBeNull();
    const opened = await sim.caseOf(caseId!);
    expect(opened).toMatchObject({ status: "open", declineCategory: "insufficient_funds", amountMinor: 4900 });
    const planned = (await sim.stepsOf(caseId!)).filter((s) => s.status === "pending");
    expect(planned.some((s) => s.kind === "retry")).toBe(true);
    // The card on file is the one that just failed: no "new card" retry at once; insufficient funds waits ≥ 24 h.
    const firstRetry = planned.find((s) => s.kind === "retry")!;
    expect(firstRetry.dueAt.getTime() - opened.openedAt.getTime()).toBeGreaterThanOrEqual(24 * HOUR);
    expect(planned.some((s) => s.kind === "final_action")).toBe(true);

    await runFor(sim, 30, async () => (await sim.caseOf(caseId!)).status !== "open");
    const closed = await sim.caseOf(caseId!);
    expect(closed.status).toBe("recovered");
    expect(closed.closedAt!.getTime()).toBeGreaterThanOrEqual(Date.parse("2026-03-13T00:00:00Z"));
    const [invoice] = await sim.db.select().from(invoices).where(eq(invoices.id, invoiceId));
    expect(invoice!.status).toBe("paid");
    const steps = await sim.stepsOf(caseId!);
    expect(steps.filter((s) => s.status === "pending" || s.status === "running")).toHaveLength(0);
    // Every retry the engine made failed before the date and carried its own key.
    const retries = steps.filter((s) => s.kind === "retry" && s.status === "done");
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries.every((s) => s.dueAt.getTime() <= closed.closedAt!.getTime())).toBe(true);
  }, 120_000);

  it("exhausts a case that never pays into its final action, within its window and attempt limit", async () => {
    const sim = await makeSimulation({ policy: { maxAttempts: 4, windowDays: 14, finalAction: { action: "cancel_at_period_end" } } });
    const { caseId, subscription } = await sim.failingRenewal("tok_generic_decline");
    await runFor(sim, 16, async () => (await sim.caseOf(caseId!)).status !== "open");
    const closed = await sim.caseOf(caseId!);
    expect(closed.status).toBe("exhausted");
    expect(closed.closeReason).toMatch(/cancel at period end/);
    const steps = await sim.stepsOf(caseId!);
    const retries = steps.filter((s) => s.kind === "retry" && s.status === "done");
    // maxAttempts counts Dunwell's retries (the failure that opened the case is not one), as Stripe's "retry up to N times".
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries.length).toBeLessThanOrEqual(4);
    const windowEnd = closed.openedAt.getTime() + 14 * 24 * HOUR;
    expect(steps.filter((s) => s.status === "done").every((s) => s.dueAt.getTime() <= windowEnd)).toBe(true);
    await sim.sync();
    const [sub] = await sim.db.select().from(subscriptions).where(and(eq(subscriptions.connectionId, sim.connection.id), eq(subscriptions.externalId, subscription.id)));
    expect(sub!.cancelAtPeriodEnd).toBe(true);
  }, 120_000);

  it("never retries a hard decline", async () => {
    const sim = await makeSimulation();
    const { caseId } = await sim.failingRenewal("tok_lost_card");
    expect((await sim.caseOf(caseId!)).declineCategory).toBe("hard");
    const before = (await sim.chargesAtSandbox()).length;
    await runFor(sim, 5);
    expect((await sim.stepsOf(caseId!)).filter((s) => s.kind === "retry")).toHaveLength(0);
    expect((await sim.chargesAtSandbox()).length).toBe(before);
  }, 60_000);

  it("a payment arriving while a step is due: no charge and no message after it", async () => {
    const sim = await makeSimulation();
    const { caseId, invoiceExternalId } = await sim.failingRenewal("tok_generic_decline");
    const due = (await sim.stepsOf(caseId!)).find((s) => s.status === "pending")!;
    sim.clock.set(new Date(due.dueAt.getTime() + 1000));
    const claimed = await claimDueSteps(sim.db, { now: sim.clock.now() });
    expect(claimed.length).toBeGreaterThan(0);
    // The customer pays elsewhere before the worker gets to the claimed steps.
    await providerFor(sim.db, sim.connection, sim.clock).recordOutOfBandPayment({ invoiceExternalId, note: "bank transfer", idempotencyKey: "oob:1" });
    await sim.sync();
    expect((await sim.caseOf(caseId!)).status).toBe("recovered");
    const charges = (await sim.chargesAtSandbox()).length;
    for (const step of claimed) expect((await executeStep(sim.db, step, { clock: sim.clock })).status).toBe("canceled");
    await runFor(sim, 10);
    expect((await sim.chargesAtSandbox()).length).toBe(charges);
    const after = await sim.stepsOf(caseId!);
    expect(after.filter((s) => s.status === "done" && s.dueAt > due.dueAt)).toHaveLength(0);
  }, 60_000);

  it("a crash after the provider charged but before recording: the rerun with the same key makes one charge", async () => {
    const sim = await makeSimulation();
    const { caseId, invoiceExternalId } = await sim.failingRenewal({ token: "tok_visa", declineUntil: "2026-03-02T09:00:00Z" });
    const retry = (await sim.stepsOf(caseId!)).find((s) => s.kind === "retry" && s.status === "pending")!;
    sim.clock.set(new Date(retry.dueAt.getTime() + 1000));
    const [claimed] = (await claimDueSteps(sim.db, { now: sim.clock.now() })).filter((s) => s.id === retry.id);
    const before = (await sim.chargesAtSandbox()).length;
    // The worker calls the provider with the step's key… and dies before recording anything.
    await providerFor(sim.db, sim.connection, sim.clock).retryInvoicePayment({
      invoiceExternalId,
      paymentMethodExternalId: claimed!.paymentMethodExternalId ?? undefined,
      idempotencyKey: idempotencyKeyOf(claimed!),
    });
    expect((await sim.chargesAtSandbox()).length).toBe(before + 1);
    // The lease runs out; another worker claims the same step and runs it.
    sim.clock.advance(LEASE_MS + 1000);
    const reclaimed = (await claimDueSteps(sim.db, { now: sim.clock.now() })).find((s) => s.id === retry.id);
    expect(reclaimed).toBeDefined();
    await executeStep(sim.db, reclaimed!, { clock: sim.clock });
    expect((await sim.chargesAtSandbox()).length).toBe(before + 1);
    await sim.sync();
    expect((await sim.caseOf(caseId!)).status).toBe("recovered");
  }, 60_000);

  it("two workers never claim the same step", async () => {
    const sim = await makeSimulation();
    const { caseId } = await sim.failingRenewal("tok_generic_decline");
    const now = sim.clock.now();
    await sim.db.insert(dunningSteps).values(
      Array.from({ length: 60 }, (_, i) => ({ id: newId("step"), workspaceId: sim.workspaceId, caseId: caseId!, kind: "task" as const, key: `load:${i}`, dueAt: new Date(now.getTime() - 1000) })),
    );
    const url = await getDatabaseUrl();
    const workers = [connect(url, { max: 2 }), connect(url, { max: 2 })];
    try {
      const claims = await Promise.all(
        workers.map(async (w) => {
          const mine: string[] = [];
          for (let i = 0; i < 10; i++) mine.push(...(await claimDueSteps(w.db, { now, limit: 7 })).map((s) => s.id));
          return mine;
        }),
      );
      const all = claims.flat();
      expect(new Set(all).size).toBe(all.length);
      expect(all.filter((id) => id).length).toBeGreaterThanOrEqual(60);
    } finally {
      await Promise.all(workers.map((w) => w.sql.end()));
    }
  }, 60_000);
});
