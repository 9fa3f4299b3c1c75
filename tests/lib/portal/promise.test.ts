import { and, eq, ne } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { messages, portalRequests } from "@/drizzle/schema";
import { savePolicy } from "@/lib/dunning/policies";
import { defaultPolicy } from "@/lib/dunning/policy";
import { promiseToPay, promiseWindow, schedulePromise } from "@/lib/portal/promise";
import { makeSimulation, portalCaseOf, runHours, type Sim } from "./helpers";

/** The engine's messages of a case; the promise's acknowledgement is covered in tests/lib/messaging/portal-notices.test.ts. */
const outbox = (sim: Sim, caseId: string) => sim.db.select().from(messages).where(and(eq(messages.caseId, caseId), ne(messages.template, "promise_confirmed")));
const promiseOf = async (sim: Sim, caseId: string) => (await sim.db.select().from(portalRequests).where(and(eq(portalRequests.caseId, caseId), eq(portalRequests.kind, "promise"))))[0]!;
const hoursUntil = (sim: Sim, iso: string) => Math.round((Date.parse(iso) - sim.clock.now().getTime()) / 3600_000);

describe("promise to pay", () => {
  it("schedules the reminder the day before and the retry on the day at 10:00 local, within the policy's window", () => {
    const now = new Date("2026-03-02T08:00:00Z");
    expect(promiseWindow(now, "Europe/Berlin", 14)).toEqual({ from: "2026-03-03", to: "2026-03-16" });
    // 23:30 in Los Angeles is already the next day in UTC: the window follows the customer's calendar.
    expect(promiseWindow(new Date("2026-03-03T07:30:00Z"), "America/Los_Angeles", 14).from).toBe("2026-03-03");
    // Across the change to summer time (29 March in Berlin): both at 10:00 local.
    expect(schedulePromise("2026-03-30", new Date("2026-03-20T08:00:00Z"), "Europe/Berlin", 14)).toEqual({
      date: "2026-03-30",
      reminderAt: new Date("2026-03-29T08:00:00Z"),
      retryAt: new Date("2026-03-30T08:00:00Z"),
      pauseUntil: new Date("2026-03-29T08:00:00Z"),
    });
    // Promised for tomorrow: the reminder would come within hours of the promise, so there is none.
    expect(schedulePromise("2026-03-03", now, "Europe/Berlin", 14)).toMatchObject({ reminderAt: null, pauseUntil: new Date("2026-03-03T09:00:00Z") });
    for (const bad of ["2026-03-02", "2026-03-17", "2026-02-30", "03/10/2026", ""]) expect(schedulePromise(bad, now, "Europe/Berlin", 14), bad).toBeNull();
  });

  it("pauses everything until the day before, reminds then, retries on the day, and a paid retry keeps the promise", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    // Payday on 9 March: the card declines before, pays after.
    const { caseId } = await sim.failingRenewal({ token: "tok_visa", declineUntil: "2026-03-09T00:00:00Z" });
    const charges = (await sim.chargesAtSandbox()).length;
    const schedule = await promiseToPay(sim.db, await portalCaseOf(sim, caseId!), "2026-03-10");
    expect(schedule.reminderAt!.toISOString()).toBe("2026-03-09T09:00:00.000Z");

    const paused = await sim.caseOf(caseId!);
    expect(paused).toMatchObject({ status: "paused", pauseReason: "promise to pay on 2026-03-10", pausedUntil: schedule.reminderAt });
    const pending = (await sim.stepsOf(caseId!)).filter((s) => s.status === "pending");
    expect(pending.map((s) => [s.key, s.kind, s.dueAt.toISOString()])).toEqual([
      ["promise:reminder", "message", "2026-03-09T09:00:00.000Z"],
      ["promise:retry", "retry", "2026-03-10T09:00:00.000Z"],
    ]);
    // The policy's own steps are held (canceled, to be re-planned if the promise breaks).
    expect((await sim.stepsOf(caseId!)).filter((s) => s.status === "canceled").every((s) => s.reason.startsWith("held: the customer promised"))).toBe(true);

    // Until the reminder: no charge, no message (payday passes on the 9th at midnight; nothing retries early).
    await runHours(sim, hoursUntil(sim, "2026-03-09T08:00:00Z"));
    expect((await sim.chargesAtSandbox()).length).toBe(charges);
    expect(await outbox(sim, caseId!)).toHaveLength(0);

    await runHours(sim, 1); // 09:00Z = 10:00 in Berlin
    const reminded = await sim.caseOf(caseId!);
    expect(reminded.status).toBe("open");
    const sent = await outbox(sim, caseId!);
    expect(sent.map((m) => [m.template, m.status])).toEqual([["reminder", "sent"]]);
    expect((await sim.chargesAtSandbox()).length).toBe(charges);

    await runHours(sim, 23); // 08:00Z on the promised day: not yet
    expect((await sim.chargesAtSandbox()).length).toBe(charges);
    await runHours(sim, 1); // 09:00Z = 10:00 in Berlin on the promised day
    expect((await sim.chargesAtSandbox()).length).toBe(charges + 1);
    expect((await sim.caseOf(caseId!)).status).toBe("recovered");
    expect(await promiseOf(sim, caseId!)).toMatchObject({ status: "kept" });
  }, 120_000);

  it("a declined retry on the day breaks the promise and dunning resumes from the policy", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const { caseId } = await sim.failingRenewal("tok_insufficient_funds");
    await promiseToPay(sim.db, await portalCaseOf(sim, caseId!), "2026-03-05");
    await runHours(sim, hoursUntil(sim, "2026-03-05T09:00:00Z"));
    const after = await sim.caseOf(caseId!);
    expect(after.status).toBe("open");
    expect(await promiseOf(sim, caseId!)).toMatchObject({ status: "broken" });
    const steps = await sim.stepsOf(caseId!);
    expect(steps.find((s) => s.key === "promise:retry")).toMatchObject({ status: "done", outcome: expect.objectContaining({ status: "failed" }) });
    // The planner took over again: retries and the final action are pending.
    const pending = steps.filter((s) => s.status === "pending");
    expect(pending.some((s) => s.kind === "retry")).toBe(true);
    expect(pending.some((s) => s.kind === "final_action")).toBe(true);
  }, 120_000);

  it("refuses dates outside the window, a second promise, and promises the policy does not allow", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const { caseId } = await sim.failingRenewal("tok_insufficient_funds");
    const p = await portalCaseOf(sim, caseId!);
    await expect(promiseToPay(sim.db, p, "2026-03-02")).rejects.toThrow(/date: choose a date/);
    await expect(promiseToPay(sim.db, p, "2026-03-17")).rejects.toThrow(/date: choose a date/);
    await promiseToPay(sim.db, p, "2026-03-03");
    const tomorrow = (await sim.stepsOf(caseId!)).filter((s) => s.status === "pending");
    expect(tomorrow.map((s) => s.key)).toEqual(["promise:retry"]);
    expect((await sim.caseOf(caseId!)).pausedUntil).toEqual(new Date("2026-03-03T09:00:00Z"));
    await expect(promiseToPay(sim.db, await portalCaseOf(sim, caseId!), "2026-03-06")).rejects.toThrow(/paused|already promised/);

    const strict = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    await savePolicy(strict.db, strict.workspaceId, "default", { ...defaultPolicy, promiseToPay: { allowed: false, maxDays: 14 } }, { kind: "system" }, { makeDefault: true });
    const other = await strict.failingRenewal("tok_insufficient_funds");
    await expect(promiseToPay(strict.db, await portalCaseOf(strict, other.caseId!), "2026-03-05")).rejects.toThrow(/not available/);
  }, 60_000);
});
