import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dunningSteps } from "@/drizzle/schema";
import { claimDueSteps, executeStep } from "@/lib/dunning/engine";
import { idempotencyKeyOf } from "@/lib/dunning/executors";
import { sendMessage } from "@/lib/messaging/send";
import { saveMessagingSettings } from "@/lib/messaging/settings";
import { startFakeResend, type FakeResend } from "../../fakes/resend-api";
import { messagingCase, useEnv } from "../../helpers/messaging";

let resend: FakeResend;
let restoreEnv: () => void;
beforeEach(async () => {
  resend = await startFakeResend();
  restoreEnv = useEnv({ RESEND_API_KEY: "re_test_123", RESEND_BASE_URL: resend.url, EMAIL_FROM: "Billing <billing@acme.example>" });
});
afterEach(async () => {
  restoreEnv();
  await resend.close();
});

describe("sending through Resend's SDK", () => {
  it("sends the rendered message with the idempotency key, the branding's sender name and the unsubscribe headers", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    await saveMessagingSettings(t.db, t.sim.workspaceId, { sendWindowStartHour: 8, sendWindowEndHour: 21, maxRemindersPer7Days: 2, branding: { name: "Acme", senderName: "Acme Billing" }, smsEnabled: false }, { kind: "system" });
    const input = t.input({ template: "reminder" });
    const result = await sendMessage(t.db, input);
    expect(result.status).toBe("sent");
    expect(resend.requests).toHaveLength(1);
    const [request] = resend.requests;
    expect(request!.idempotencyKey).toBe(input.idempotencyKey);
    expect(request!.body).toMatchObject({ from: '"Acme Billing" <billing@acme.example>', subject: expect.any(String), html: expect.stringContaining("Acme"), text: expect.any(String) });
    expect((request!.body.headers as Record<string, string>)["List-Unsubscribe"]).toMatch(/^<http:\/\/localhost:3999\/api\/unsubscribe\?token=/);
    const [row] = await t.messagesOf();
    expect(row).toMatchObject({ status: "sent", providerId: resend.sent.get(input.idempotencyKey)!.id, attempts: 1 });
  });

  it("retries a 429 once at once with the SAME key: one email, one message row", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    resend.failNext(429);
    const input = t.input();
    const result = await sendMessage(t.db, input);
    expect(result.status).toBe("sent");
    expect(resend.requests.map((r) => r.idempotencyKey)).toEqual([input.idempotencyKey, input.idempotencyKey]);
    expect(resend.sent.size).toBe(1);
    const rows = await t.messagesOf();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("fails the message after the second 5xx; the engine retries the step later with the same key and reuses the row", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    const step = (await t.sim.stepsOf(t.kase.id)).find((s) => s.kind === "message" && s.status === "pending")!;
    t.sim.clock.set(new Date(step.dueAt.getTime() + 1000));
    resend.failNext(500, 2);
    const [claimed] = (await claimDueSteps(t.db, { now: t.sim.clock.now() })).filter((s) => s.id === step.id);
    expect(await executeStep(t.db, claimed!, { clock: t.sim.clock })).toMatchObject({ status: "deferred" });
    expect(resend.requests).toHaveLength(2);
    let rows = await t.messagesOf();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "failed", attempts: 2, idempotencyKey: idempotencyKeyOf(step) });
    expect(rows[0]!.error).toMatch(/unexpected error/);
    const [pending] = await t.db.select().from(dunningSteps).where(eq(dunningSteps.id, step.id));
    expect(pending).toMatchObject({ status: "pending" });
    expect(await t.auditOf("message.failed")).toHaveLength(1);

    // Resend recovers; the engine runs the step again after its backoff.
    t.sim.clock.set(new Date(pending!.dueAt.getTime() + 1000));
    const [again] = (await claimDueSteps(t.db, { now: t.sim.clock.now() })).filter((s) => s.id === step.id);
    expect(await executeStep(t.db, again!, { clock: t.sim.clock })).toMatchObject({ status: "done" });
    expect(resend.requests.map((r) => r.idempotencyKey)).toEqual(Array(3).fill(idempotencyKeyOf(step)));
    expect(resend.sent.size).toBe(1);
    rows = await t.messagesOf();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "sent", attempts: 3, error: null });
  });

  it("does not retry what Resend refuses for good (422): the step fails, no retry", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    resend.failNext(422);
    const result = await sendMessage(t.db, t.input());
    expect(result.status).toBe("failed");
    if (result.status === "failed") expect(result.error.retryable).toBe(false);
    expect(resend.requests).toHaveLength(1);
    expect((await t.messagesOf())[0]).toMatchObject({ status: "failed", attempts: 1 });
  });
});
