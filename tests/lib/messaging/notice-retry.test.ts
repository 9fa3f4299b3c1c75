import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { caseEvents, invoices, memberships, messages } from "@/drizzle/schema";
import { newId } from "@/lib/ids";
import { NOTICE_MAX_ATTEMPTS, noticeBackoffMs, retryFailedNotices } from "@/lib/messaging/notice-retry";
import { sendPortalNotice } from "@/lib/messaging/portal-notices";
import { addSuppression } from "@/lib/messaging/suppressions";
import { startFakeResend, type FakeResend } from "../../fakes/resend-api";
import { makeUser } from "../../helpers/factories";
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

const MINUTE = 60_000;

/** A help request whose acknowledgement (and, with an owner, the owner's notice) Resend refused twice. */
async function failedHelpAck(options: { withOwner?: boolean } = {}) {
  const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
  const owner = options.withOwner ? await makeUser() : null;
  if (owner) await t.db.insert(memberships).values({ workspaceId: t.sim.workspaceId, userId: owner.id, role: "owner" });
  resend.failNext(500, owner ? 4 : 2);
  const requestId = `preq_${randomBytes(6).toString("hex")}`;
  await sendPortalNotice(t.db, { kind: "help_requested", workspaceId: t.sim.workspaceId, caseId: t.kase.id, customerId: t.kase.customerId, requestId, topic: "question", message: "Why twice?" });
  const key = `portal:help:${requestId}`;
  const operatorKey = owner ? `${key}:operator:${owner.id}` : null;
  const rowOf = async (k: string) => (await t.db.select().from(messages).where(eq(messages.idempotencyKey, k)))[0]!;
  const row = await rowOf(key);
  expect(row).toMatchObject({ status: "failed", attempts: 2, template: "help_received" });
  const requestsFor = (k: string) => resend.requests.filter((r) => r.idempotencyKey === k);
  return { ...t, key, operatorKey, row, rowOf, requestsFor };
}

describe("retrying the portal's failed notices", () => {
  it("sends a failed acknowledgement and owner notice again after the backoff, once, with the same key and payload", async () => {
    const t = await failedHelpAck({ withOwner: true });
    const operatorRow = await t.rowOf(t.operatorKey!);
    expect(operatorRow).toMatchObject({ status: "failed", attempts: 2 });
    const failedAt = Math.max(t.row.updatedAt.getTime(), operatorRow.updatedAt.getTime());

    // Not before the first backoff (5 minutes after a send that cost two attempts).
    await retryFailedNotices(t.db, { now: new Date(t.row.updatedAt.getTime() + 5 * MINUTE - 1_000) });
    expect(t.requestsFor(t.key)).toHaveLength(2);
    expect((await t.rowOf(t.key)).status).toBe("failed");

    await retryFailedNotices(t.db, { now: new Date(failedAt + 5 * MINUTE + 1_000) });
    for (const key of [t.key, t.operatorKey!]) {
      const requests = t.requestsFor(key);
      expect(requests).toHaveLength(3);
      // Resend wants the same payload for a key: from, to, subject, bodies and headers as first sent.
      expect(requests[2]!.body).toEqual(requests[0]!.body);
      expect(await t.rowOf(key)).toMatchObject({ status: "sent", attempts: 3, error: null, providerId: resend.sent.get(key)!.id });
    }
    expect(resend.sent.size).toBe(2);
    expect(t.requestsFor(t.key)[2]!.body).toMatchObject({ to: t.row.recipient, subject: t.row.subject });
    const sentAudit = (await t.auditOf("message.sent")).filter((a) => a.targetId === t.row.id);
    expect(sentAudit.map((a) => a.data)).toEqual([expect.objectContaining({ retry: true, transport: "resend" })]);
    const timeline = await t.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, t.kase.id), eq(caseEvents.type, "message_sent")));
    expect(timeline.filter((e) => e.message.includes("help_received"))).toHaveLength(1);

    // Sent is settled: later sweeps leave it alone.
    await retryFailedNotices(t.db, { now: new Date(failedAt + 24 * 60 * MINUTE) });
    expect(t.requestsFor(t.key)).toHaveLength(3);
  });

  it("skips a recipient who bounced since the first try", async () => {
    const t = await failedHelpAck();
    await addSuppression(t.db, { workspaceId: t.sim.workspaceId, channel: "email", recipient: t.row.recipient!, reason: "bounced", at: new Date(), actor: { kind: "system" }, source: "test" });
    await retryFailedNotices(t.db, { now: new Date(t.row.updatedAt.getTime() + 10 * MINUTE) });
    expect(t.requestsFor(t.key)).toHaveLength(2);
    expect(await t.rowOf(t.key)).toMatchObject({ status: "skipped", skipReason: "the recipient bounced before (bounced)" });
    expect((await t.auditOf("message.skipped")).filter((a) => a.targetId === t.row.id)).toHaveLength(1);
  });

  it("skips a failed-installment notice once the invoice is paid", async () => {
    const t = await failedHelpAck();
    // The state a refused installment_failed notice leaves (its plan's set-up is beside the point here).
    const key = `portal:installment:ipl_${randomBytes(4).toString("hex")}:2:failed`;
    await t.db.insert(messages).values({
      ...t.row,
      id: newId("msg"),
      template: "installment_failed",
      idempotencyKey: key,
      createdAt: t.row.createdAt,
      updatedAt: new Date(t.row.updatedAt.getTime() - 10 * MINUTE),
    });
    await t.db.update(invoices).set({ status: "paid" }).where(eq(invoices.id, t.kase.invoiceId));
    await retryFailedNotices(t.db, { now: new Date(t.row.updatedAt.getTime() + 6 * MINUTE) });
    expect(t.requestsFor(key)).toHaveLength(0);
    expect(await t.rowOf(key)).toMatchObject({ status: "skipped", skipReason: "the invoice is paid" });
    // The help acknowledgement is a confirmation: a paid invoice does not stop it.
    expect(await t.rowOf(t.key)).toMatchObject({ status: "sent" });
  });

  it(`gives up after ${NOTICE_MAX_ATTEMPTS} attempts, inside the day Resend remembers a key; the row stays failed and says so`, async () => {
    const t = await failedHelpAck();
    const outcomes = [];
    let row = t.row;
    while (row.status === "failed" && outcomes.length < 20) {
      resend.failNext(500, 2);
      outcomes.push(await retryFailedNotices(t.db, { now: new Date(row.updatedAt.getTime() + noticeBackoffMs(row.attempts) + 1_000) }));
      row = await t.rowOf(t.key);
      if (outcomes.at(-1)!.abandoned > 0) break;
    }
    expect(outcomes.map((o) => (o.abandoned ? "abandoned" : o.failed ? "failed" : "other"))).toEqual(["failed", "failed", "failed", "failed", "abandoned"]);
    expect(row).toMatchObject({ status: "failed", attempts: NOTICE_MAX_ATTEMPTS });
    expect(row.updatedAt.getTime() - t.row.updatedAt.getTime()).toBeLessThan(24 * 60 * MINUTE);
    expect(t.requestsFor(t.key)).toHaveLength(NOTICE_MAX_ATTEMPTS);
    expect((await t.auditOf("message.abandoned")).filter((a) => a.targetId === t.row.id)).toHaveLength(1);
    const timeline = await t.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, t.kase.id), eq(caseEvents.type, "message_failed")));
    expect(timeline).toHaveLength(1);

    await retryFailedNotices(t.db, { now: new Date(row.updatedAt.getTime() + 365 * 24 * 60 * MINUTE) });
    expect(t.requestsFor(t.key)).toHaveLength(NOTICE_MAX_ATTEMPTS);
  });

  it("two sweeps at once deliver a failed notice once", async () => {
    const t = await failedHelpAck();
    const now = new Date(t.row.updatedAt.getTime() + 6 * MINUTE);
    await Promise.all([retryFailedNotices(t.db, { now }), retryFailedNotices(t.db, { now }), retryFailedNotices(t.db, { now })]);
    expect(t.requestsFor(t.key)).toHaveLength(3);
    expect(await t.rowOf(t.key)).toMatchObject({ status: "sent", attempts: 3 });
    expect((await t.auditOf("message.sent")).filter((a) => a.targetId === t.row.id)).toHaveLength(1);
  });
});
