import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers } from "@/drizzle/schema";
import { saveMessagingSettings } from "@/lib/messaging/settings";
import { sendMessage } from "@/lib/messaging/send";
import { addSuppression } from "@/lib/messaging/suppressions";
import { verifyUnsubscribeToken } from "@/lib/messaging/unsubscribe";
import { at, messagingCase } from "../../helpers/messaging";

const DAY = 86_400_000;

describe("sendMessage in the outbox mode", () => {
  it("stores the rendered reminder as the delivery, with List-Unsubscribe, and never twice for one key", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    const input = t.input({ template: "reminder" });
    const first = await sendMessage(t.db, input);
    expect(first).toMatchObject({ status: "sent", providerId: null, repeated: false });
    const again = await sendMessage(t.db, input);
    expect(again).toMatchObject({ status: "sent", repeated: true });

    const rows = await t.messagesOf();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ status: "sent", template: "reminder", locale: "en", channel: "email", providerId: null, idempotencyKey: input.idempotencyKey });
    expect(row!.recipient).toMatch(/@example\.com$/);
    expect(row!.subject).toBeTruthy();
    expect(row!.html).toContain("49.00");
    expect(row!.text).toContain("49.00");
    expect(row!.sentAt?.toISOString()).toBe("2026-03-02T09:00:00.000Z");
    // The one-click address is a route (POSTable); it carries a valid token for this recipient.
    const unsubscribe = /^<(.+)>$/.exec(row!.headers["List-Unsubscribe"] ?? "")?.[1];
    expect(unsubscribe).toMatch(/^http:\/\/localhost:3999\/api\/unsubscribe\?token=/);
    expect(verifyUnsubscribeToken(new URL(unsubscribe!).searchParams.get("token"))).toEqual({ workspaceId: t.sim.workspaceId, channel: "email", recipient: row!.recipient });
    // The footer link opens the page that asks first.
    expect(row!.html).toContain("http://localhost:3999/unsubscribe?token=");
    expect(await t.auditOf("message.sent")).toHaveLength(1);
  });

  it("sends a receipt without unsubscribe headers", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    await sendMessage(t.db, t.input({ template: "payment_recovered" }));
    const [row] = await t.messagesOf();
    expect(row!.status).toBe("sent");
    expect(row!.headers["List-Unsubscribe"]).toBeUndefined();
    expect(row!.html).not.toContain("/unsubscribe?token=");
  });
});

describe("quiet hours at send time", () => {
  it("defers a reminder due 06:30 local in Berlin on the DST Sunday to 08:00 local, sending nothing", async () => {
    const t = await messagingCase({ timezone: "Europe/Berlin", start: "2026-03-29T04:30:00Z" });
    const result = await sendMessage(t.db, t.input({ now: at("2026-03-29T04:30:00Z") }));
    expect(result).toMatchObject({ status: "deferred" });
    if (result.status !== "deferred") return;
    expect(result.deferredUntil.toISOString()).toBe("2026-03-29T06:00:00.000Z");
    expect(result.reason).toMatch(/quiet hours in Europe\/Berlin/);
    expect(await t.messagesOf()).toHaveLength(0);
    expect(await t.auditOf("message.deferred")).toHaveLength(1);
    // At 08:00 local it goes.
    expect((await sendMessage(t.db, t.input({ now: result.deferredUntil }))).status).toBe("sent");
  });

  it("uses the workspace's zone when the customer's is unknown", async () => {
    const t = await messagingCase({ workspaceTimezone: "America/New_York", start: "2026-03-02T10:00:00Z" });
    await t.db.update(customers).set({ timezone: "Mars/Olympus_Mons" }).where(eq(customers.id, t.kase.customerId));
    // 10:00 UTC is 11:00 in Berlin but 05:00 in New York.
    const result = await sendMessage(t.db, t.input({ now: at("2026-03-02T10:00:00Z") }));
    expect(result.status).toBe("deferred");
    if (result.status === "deferred") expect(result.deferredUntil.toISOString()).toBe("2026-03-02T13:00:00.000Z");
  });

  it("follows the workspace's own window", async () => {
    const t = await messagingCase({ timezone: "Europe/Berlin", start: "2026-03-02T17:30:00Z" });
    await saveMessagingSettings(t.db, t.sim.workspaceId, { sendWindowStartHour: 9, sendWindowEndHour: 18, maxRemindersPer7Days: 2, branding: {}, smsEnabled: false }, { kind: "system" });
    const result = await sendMessage(t.db, t.input({ now: at("2026-03-02T17:30:00Z") })); // 18:30 local
    expect(result.status === "deferred" && result.deferredUntil.toISOString()).toBe("2026-03-03T08:00:00.000Z");
  });
});

describe("the frequency cap", () => {
  it("defers the third reminder in 7 days until the first leaves the window; receipts are not capped", async () => {
    const t = await messagingCase({ timezone: "Europe/Berlin", start: "2026-03-02T09:00:00Z" });
    const start = at("2026-03-02T09:00:00Z");
    expect((await sendMessage(t.db, t.input({ template: "payment_failed", now: start }))).status).toBe("sent");
    expect((await sendMessage(t.db, t.input({ template: "reminder", now: new Date(start.getTime() + DAY) }))).status).toBe("sent");
    const third = await sendMessage(t.db, t.input({ template: "reminder", now: new Date(start.getTime() + 2 * DAY) }));
    expect(third.status).toBe("deferred");
    if (third.status === "deferred") {
      expect(third.deferredUntil.toISOString()).toBe("2026-03-09T09:00:00.000Z");
      expect(third.reason).toMatch(/at most 2 reminders per 7 days/);
    }
    const receipt = await sendMessage(t.db, t.input({ template: "payment_recovered", now: new Date(start.getTime() + 2 * DAY) }));
    expect(receipt.status).toBe("sent");
    expect((await t.messagesOf()).map((m) => m.template)).toEqual(["payment_failed", "reminder", "payment_recovered"]);
    // Once the first reminder is 7 days old, the third goes.
    expect((await sendMessage(t.db, t.input({ template: "reminder", now: at("2026-03-09T09:00:00Z") }))).status).toBe("sent");
  });

  it("moves the end of the cap into the sending window", async () => {
    const t = await messagingCase({ timezone: "Europe/Berlin", start: "2026-03-02T18:30:00Z" });
    await saveMessagingSettings(t.db, t.sim.workspaceId, { sendWindowStartHour: 8, sendWindowEndHour: 21, maxRemindersPer7Days: 1, branding: {}, smsEnabled: false }, { kind: "system" });
    await sendMessage(t.db, t.input({ now: at("2026-03-02T19:50:00Z") })); // 20:50 local
    const next = await sendMessage(t.db, t.input({ now: at("2026-03-04T10:00:00Z") }));
    // Frees at 20:50 local on the 9th: inside the window, so exactly then.
    expect(next.status === "deferred" && next.deferredUntil.toISOString()).toBe("2026-03-09T19:50:00.000Z");
    await saveMessagingSettings(t.db, t.sim.workspaceId, { sendWindowStartHour: 8, sendWindowEndHour: 20, maxRemindersPer7Days: 1, branding: {}, smsEnabled: false }, { kind: "system" });
    const later = await sendMessage(t.db, t.input({ now: at("2026-03-04T10:00:00Z") }));
    // With the window ending at 20:00, 20:50 is quiet: 08:00 local the next morning.
    expect(later.status === "deferred" && later.deferredUntil.toISOString()).toBe("2026-03-10T07:00:00.000Z");
  });
});

describe("suppressions", () => {
  const suppress = (t: Awaited<ReturnType<typeof messagingCase>>, recipient: string, reason: "unsubscribed" | "bounced" | "complained" | "do_not_contact") =>
    addSuppression(t.db, { workspaceId: t.sim.workspaceId, channel: "email", recipient: recipient.toUpperCase(), reason, at: t.sim.clock.now(), actor: { kind: "system" }, source: "test" });

  it("skips every message to a bounced, complained or do-not-contact address, recording why", async () => {
    for (const reason of ["bounced", "complained", "do_not_contact"] as const) {
      const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
      const [customer] = await t.db.select().from(customers).where(eq(customers.id, t.kase.customerId));
      await suppress(t, customer!.email!, reason);
      const reminder = await sendMessage(t.db, t.input({ template: "reminder" }));
      const receipt = await sendMessage(t.db, t.input({ template: "payment_recovered" }));
      expect(reminder).toMatchObject({ status: "skipped" });
      expect(receipt).toMatchObject({ status: "skipped" });
      const rows = await t.messagesOf();
      expect(rows.map((r) => r.status)).toEqual(["skipped", "skipped"]);
      expect(rows[0]!.skipReason).toContain(`(${reason})`);
      expect(rows[0]!.html).toBeNull();
      expect(await t.auditOf("message.skipped")).toHaveLength(2);
    }
  });

  it("stops reminders to an unsubscribed address but still sends the receipt of a payment", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    const [customer] = await t.db.select().from(customers).where(eq(customers.id, t.kase.customerId));
    await suppress(t, customer!.email!, "unsubscribed");
    expect(await sendMessage(t.db, t.input({ template: "reminder" }))).toMatchObject({ status: "skipped", reason: expect.stringMatching(/unsubscribed/) });
    expect((await sendMessage(t.db, t.input({ template: "payment_recovered" }))).status).toBe("sent");
  });

  it("skips when the customer has no email address, and SMS while it is off", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    expect(await sendMessage(t.db, t.input({ channel: "sms" }))).toMatchObject({ status: "skipped", reason: "SMS is turned off for this workspace" });
    await t.db.update(customers).set({ email: null }).where(eq(customers.id, t.kase.customerId));
    expect(await sendMessage(t.db, t.input())).toMatchObject({ status: "skipped", reason: "the customer has no email address" });
  });
});
