import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { caseEvents, dunningSteps, messages } from "@/drizzle/schema";
import { saveMessagingSettings } from "@/lib/messaging/settings";
import { makeSimulation, runEngineHours } from "../../helpers/dunning";

describe("a message held by the weekly cap", () => {
  it("is on the timeline once per hold, however often failed retries re-plan the case", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    // One reminder per 7 days: the 72-hour reminder must wait for the first notice to be a week old.
    await saveMessagingSettings(sim.db, sim.workspaceId, { sendWindowStartHour: 8, sendWindowEndHour: 21, maxRemindersPer7Days: 1, branding: { name: "Acme" }, smsEnabled: false }, { kind: "system" });
    const { caseId } = await sim.failingRenewal("tok_generic_decline");

    await runEngineHours(sim, 8 * 24);

    const sent = (await sim.db.select().from(messages).where(eq(messages.caseId, caseId!)).orderBy(messages.createdAt)).filter((m) => m.status === "sent");
    expect(sent.map((m) => m.template)).toEqual(["payment_failed", "reminder"]);
    // Retries failed meanwhile, and each re-planned the case (the planner puts the reminder back at hour 72).
    const retriesFailed = await sim.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, caseId!), eq(caseEvents.type, "retry_failed")));
    expect(retriesFailed.length).toBeGreaterThan(0);

    const deferrals = await sim.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, caseId!), eq(caseEvents.type, "message_deferred")));
    const holds = deferrals.map((e) => e.data as { stepId: string; until: string });
    // One timeline entry per hold: the same step held to the same instant is said once.
    expect(holds.map((h) => `${h.stepId} ${h.until}`)).toEqual([...new Set(holds.map((h) => `${h.stepId} ${h.until}`))]);
    const [reminder] = await sim.db.select().from(dunningSteps).where(and(eq(dunningSteps.caseId, caseId!), eq(dunningSteps.key, "message:1:reminder")));
    const first = deferrals.filter((e) => (e.data as { stepId?: string }).stepId === reminder!.id)[0]!;
    expect(first.message).toMatch(/at most 1 reminders per 7 days/);
    expect(first.data).toMatchObject({ until: "2026-03-09T09:00:00.000Z" });
    // The second reminder went out when the first notice turned 7 days old.
    expect(sent[1]!.sentAt!.getTime()).toBe(sent[0]!.sentAt!.getTime() + 7 * 24 * 3600_000);
  }, 180_000);
});
