import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { caseEvents, messages } from "@/drizzle/schema";
import { providerFor } from "@/lib/billing/providers";
import { localParts } from "@/lib/dunning/slots";
import { saveMessagingSettings } from "@/lib/messaging/settings";
import { startFakeResend } from "../../fakes/resend-api";
import { makeSimulation, runEngineHours } from "../../helpers/dunning";
import { useEnv } from "../../helpers/messaging";

describe("a sandbox case through the engine in the embedded mode", () => {
  it("puts its messages in the outbox, none outside the customer's sending window, none after payment", async () => {
    // 08:00 UTC is midnight in Los Angeles; the US switches to daylight time on 8 March, inside the run.
    const sim = await makeSimulation({ timezone: "America/Los_Angeles", start: "2026-03-02T08:00:00Z" });
    // Narrower than the planner's 08:00–21:00, so the send-time rule has to move what the plan put at 08:00.
    await saveMessagingSettings(sim.db, sim.workspaceId, { sendWindowStartHour: 10, sendWindowEndHour: 18, maxRemindersPer7Days: 2, branding: { name: "Acme" }, smsEnabled: false }, { kind: "system" });
    const { caseId, invoiceExternalId } = await sim.failingRenewal("tok_generic_decline");
    const outbox = () => sim.db.select().from(messages).where(eq(messages.caseId, caseId!)).orderBy(messages.createdAt);

    await runEngineHours(sim, 8 * 24);
    const before = await outbox();
    const sent = before.filter((m) => m.status === "sent");
    // The default policy's first notice (hour 0) and first reminder (hour 72) went out; the day-7 reminder too.
    expect(sent.map((m) => m.template)).toEqual(["payment_failed", "reminder", "reminder"]);
    for (const m of sent) {
      const hour = localParts(m.sentAt!, "America/Los_Angeles").hour;
      expect(hour, `${m.template} sent at ${m.sentAt!.toISOString()}`).toBeGreaterThanOrEqual(10);
      expect(hour).toBeLessThan(18);
      expect(m).toMatchObject({ channel: "email", locale: "en", providerId: null });
      expect(m.html).toContain("Acme");
      expect(m.headers["List-Unsubscribe"]).toBeTruthy();
    }
    // The first notice, planned for 08:00 local, was held until 10:00 local (PST); so was the 72-hour reminder.
    // The day-7 reminder (planned for 08:00 PDT on 9 March, held to 10:00) would then be the third in 7 days:
    // the cap held it until the first notice was 7 days old, 18:00 UTC, which is 11:00 after the DST change.
    expect(sent.map((m) => m.sentAt!.toISOString())).toEqual(["2026-03-02T18:00:00.000Z", "2026-03-05T18:00:00.000Z", "2026-03-09T18:00:00.000Z"]);
    const deferred = await sim.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, caseId!), eq(caseEvents.type, "message_deferred")));
    expect(deferred.some((e) => /quiet hours in America\/Los_Angeles/.test(e.message))).toBe(true);
    expect(deferred.some((e) => /at most 2 reminders per 7 days/.test(e.message))).toBe(true);

    // The customer pays; nothing more is sent, though the final notice was still planned.
    await providerFor(sim.db, sim.connection, sim.clock).recordOutOfBandPayment({ invoiceExternalId, note: "bank transfer", idempotencyKey: "oob:engine" });
    await sim.sync();
    const paidAt = sim.clock.now();
    expect((await sim.caseOf(caseId!)).status).toBe("recovered");
    await runEngineHours(sim, 10 * 24);
    const after = await outbox();
    expect(after.filter((m) => m.createdAt > paidAt || (m.sentAt && m.sentAt > paidAt))).toHaveLength(0);
    expect(after).toHaveLength(before.length);
  }, 180_000);

  it("sends the same case through Resend's SDK when Resend is configured: one email per message, keyed by its step", async () => {
    const resend = await startFakeResend();
    const restoreEnv = useEnv({ RESEND_API_KEY: "re_test_123", RESEND_BASE_URL: resend.url, EMAIL_FROM: "Billing <billing@acme.example>" });
    try {
      const sim = await makeSimulation({ timezone: "Europe/Berlin", start: "2026-03-02T08:00:00Z" });
      await saveMessagingSettings(sim.db, sim.workspaceId, { sendWindowStartHour: 8, sendWindowEndHour: 21, maxRemindersPer7Days: 2, branding: { name: "Acme" }, smsEnabled: false }, { kind: "system" });
      const { caseId } = await sim.failingRenewal("tok_generic_decline");
      await runEngineHours(sim, 4 * 24);
      const sent = (await sim.db.select().from(messages).where(eq(messages.caseId, caseId!)).orderBy(messages.createdAt)).filter((m) => m.status === "sent");
      expect(sent.map((m) => m.template)).toEqual(["payment_failed", "reminder"]);
      // Each went through the SDK once, with the message's own key; Resend's id is on the row.
      expect(resend.requests.map((r) => r.idempotencyKey)).toEqual(sent.map((m) => m.idempotencyKey));
      for (const m of sent) expect(m.providerId).toBe(resend.sent.get(m.idempotencyKey)!.id);
      expect(resend.requests[0]!.body).toMatchObject({ from: '"Acme" <billing@acme.example>', to: expect.stringMatching(/@example\.com$/) });
    } finally {
      restoreEnv();
      await resend.close();
    }
  }, 180_000);
});
