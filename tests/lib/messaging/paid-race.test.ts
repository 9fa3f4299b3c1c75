import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { connections, dunningCases, invoices } from "@/drizzle/schema";
import { providerFor } from "@/lib/billing/providers";
import { claimDueSteps } from "@/lib/dunning/engine";
import { runMessage } from "@/lib/dunning/executors";
import { sendMessage } from "@/lib/messaging/send";
import { startFakeResend, type FakeResend } from "../../fakes/resend-api";
import { messagingCase, useEnv } from "../../helpers/messaging";

// A hook inside rendering, to land a payment between the first checks and the transport.
const hooks = vi.hoisted(() => ({ duringRender: null as null | (() => Promise<void>) }));
vi.mock("@/lib/messaging/render", async (original) => {
  const actual = await original<typeof import("@/lib/messaging/render")>();
  return {
    ...actual,
    renderMessage: async (input: Parameters<typeof actual.renderMessage>[0]) => {
      await hooks.duringRender?.();
      return actual.renderMessage(input);
    },
  };
});

let resend: FakeResend;
let restoreEnv: () => void;
beforeEach(async () => {
  resend = await startFakeResend();
  restoreEnv = useEnv({ RESEND_API_KEY: "re_test_123", RESEND_BASE_URL: resend.url });
});
afterEach(async () => {
  hooks.duringRender = null;
  restoreEnv();
  await resend.close();
});

/** The engine's view of a claimed step, loaded before the payment (what executeStep hands to runMessage). */
async function staleContext(t: Awaited<ReturnType<typeof messagingCase>>) {
  const [row] = await t.db
    .select({ c: dunningCases, invoice: invoices, connection: connections })
    .from(dunningCases)
    .innerJoin(invoices, eq(invoices.id, dunningCases.invoiceId))
    .innerJoin(connections, eq(connections.id, dunningCases.connectionId))
    .where(eq(dunningCases.id, t.kase.id));
  return row!;
}

describe("the paid-while-sending race", () => {
  it("an invoice paid between planning and sending: the message step is skipped and nothing reaches Resend", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    const step = (await t.sim.stepsOf(t.kase.id)).find((s) => s.kind === "message" && s.status === "pending")!;
    t.sim.clock.set(new Date(step.dueAt.getTime() + 1000));
    const [claimed] = (await claimDueSteps(t.db, { now: t.sim.clock.now() })).filter((s) => s.id === step.id);
    const ctx = await staleContext(t);
    expect(ctx.invoice.status).toBe("open");

    // The customer pays by bank transfer; the webhook is processed before the worker reaches the step.
    await providerFor(t.db, t.sim.connection, t.sim.clock).recordOutOfBandPayment({ invoiceExternalId: t.renewal.invoiceExternalId, note: "bank transfer", idempotencyKey: "oob:race" });
    await t.sim.sync();

    const result = await runMessage(t.db, claimed!, ctx, t.sim.clock);
    expect(result).toEqual({ status: "skipped", detail: "the invoice is paid" });
    expect(resend.requests).toHaveLength(0);
    const rows = await t.messagesOf();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "skipped", skipReason: "the invoice is paid", html: null, providerId: null });
    expect(await t.auditOf("message.skipped")).toHaveLength(1);
  });

  it("a payment landing while the message renders: the last look before the transport skips it", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    hooks.duringRender = async () => {
      hooks.duringRender = null;
      await providerFor(t.db, t.sim.connection, t.sim.clock).recordOutOfBandPayment({ invoiceExternalId: t.renewal.invoiceExternalId, note: "paid in the portal", idempotencyKey: "oob:render" });
      await t.sim.sync();
    };
    const result = await sendMessage(t.db, t.input({ template: "reminder" }));
    expect(result).toMatchObject({ status: "skipped", reason: "the invoice is paid" });
    expect(resend.requests).toHaveLength(0);
    const [row] = await t.messagesOf();
    // What would have gone out stays on record with the reason it did not.
    expect(row).toMatchObject({ status: "skipped", skipReason: "the invoice is paid" });
    expect(row!.html).toBeTruthy();
  });

  it("a closed case stops reminders but not the receipt of the payment", async () => {
    const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
    await providerFor(t.db, t.sim.connection, t.sim.clock).recordOutOfBandPayment({ invoiceExternalId: t.renewal.invoiceExternalId, note: "card", idempotencyKey: "oob:receipt" });
    await t.sim.sync();
    expect((await t.sim.caseOf(t.kase.id)).status).toBe("recovered");
    expect((await sendMessage(t.db, t.input({ template: "final_notice" }))).status).toBe("skipped");
    expect((await sendMessage(t.db, t.input({ template: "payment_recovered" }))).status).toBe("sent");
    expect(resend.requests.map((r) => r.body.subject)).toHaveLength(1);
  });
});
