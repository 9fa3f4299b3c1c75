import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookEvents } from "@/drizzle/schema";
import { inboxSweepFunction } from "@/inngest/functions/inbox-sweep";
import { processWebhookFunction } from "@/inngest/functions/process-webhook";
import { addConnection } from "@/lib/billing/connections";
import { receiveWebhook } from "@/lib/billing/webhooks";
import { getDb } from "@/lib/db/client";
import { startFakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET, type FakeStripe } from "../fakes/stripe-api";
import { makeWorkspace } from "../helpers/factories";
import { eventAbout, signWebhook } from "../helpers/stripe-events";

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(() => fake.close());

const inngest = new Inngest({ id: "dunwell-test", isDev: true });

async function storedFailure(): Promise<string> {
  const ws = await makeWorkspace();
  const view = await addConnection(await getDb(), { provider: "stripe", workspaceId: ws.id, secretKey: TEST_SECRET_KEY, webhookSecrets: [TEST_WEBHOOK_SECRET], apiBase: fake.url }, { kind: "cli" });
  const customer = fake.state.addCustomer();
  fake.state.addCard(customer.id, { behaviour: { outcome: "decline", declineCode: "generic_decline" } });
  const invoice = fake.state.addInvoice(customer.id);
  fake.state.attemptInvoice(invoice.id);
  const delivery = signWebhook(eventAbout(fake.state, "invoice.payment_failed", fake.state.invoices.get(invoice.id)));
  const result = await receiveWebhook("stripe", view.id, new Request("http://localhost/x", { method: "POST", headers: delivery.headers, body: delivery.rawBody }), { defer: () => {} });
  return result.eventId!;
}

const statusOf = async (id: string) => (await (await getDb()).select().from(webhookEvents).where(eq(webhookEvents.id, id)))[0]!.status;

describe("Inngest functions", () => {
  it("billing/webhook.received processes the stored event in a step", async () => {
    const eventId = await storedFailure();
    const engine = new InngestTestEngine({ function: processWebhookFunction(inngest) });
    const { result, error } = await engine.execute({ events: [{ name: "billing/webhook.received", data: { eventId } }] });
    expect(error).toBeUndefined();
    expect(result).toBe("processed");
    expect(await statusOf(eventId)).toBe("processed");
    // A second delivery of the same Inngest event finds nothing to do.
    const fresh = new InngestTestEngine({ function: processWebhookFunction(inngest) });
    const again = await fresh.execute({ events: [{ name: "billing/webhook.received", data: { eventId } }] });
    expect(again.result).toBe("skipped");
  });

  it("the sweep processes events whose dispatch was lost", async () => {
    const eventId = await storedFailure();
    expect(await statusOf(eventId)).toBe("received");
    const engine = new InngestTestEngine({ function: inboxSweepFunction(inngest) });
    const { result } = await engine.execute();
    expect((result as { processed: number }).processed).toBeGreaterThanOrEqual(1);
    expect(await statusOf(eventId)).toBe("processed");
  });

  it("the sweep also sends the portal's failed notices again once their backoff has passed", async () => {
    const { messages } = await import("@/drizzle/schema");
    const { sendPortalNotice } = await import("@/lib/messaging/portal-notices");
    const { messagingCase, useEnv } = await import("../helpers/messaging");
    const { startFakeResend } = await import("../fakes/resend-api");
    const resend = await startFakeResend();
    const restoreEnv = useEnv({ RESEND_API_KEY: "re_test_123", RESEND_BASE_URL: resend.url, EMAIL_FROM: "Billing <billing@acme.example>" });
    try {
      const t = await messagingCase();
      resend.failNext(500, 2);
      await sendPortalNotice(t.db, { kind: "help_requested", workspaceId: t.sim.workspaceId, caseId: t.kase.id, customerId: t.kase.customerId, requestId: "preq_sweep", topic: "question", message: null });
      const key = "portal:help:preq_sweep";
      // Refused ten minutes ago (the cron reads the real clock), past the first 5-minute backoff.
      await t.db.update(messages).set({ updatedAt: new Date(Date.now() - 10 * 60_000) }).where(eq(messages.idempotencyKey, key));

      const { result, error } = await new InngestTestEngine({ function: inboxSweepFunction(inngest) }).execute();
      expect(error).toBeUndefined();
      expect((result as { notices: { sent: number } }).notices.sent).toBe(1);
      const [row] = await t.db.select().from(messages).where(eq(messages.idempotencyKey, key));
      expect(row).toMatchObject({ status: "sent", attempts: 3, providerId: resend.sent.get(key)!.id });
    } finally {
      restoreEnv();
      await resend.close();
    }
  });
});

describe("Inngest dunning functions", () => {
  it("the cron claims due steps and fans out one dunning/step.due event per step, id = step id; the step function runs it", async () => {
    const { makeSimulation } = await import("../helpers/dunning");
    const { claimDueStepsFunction, runStepFunction } = await import("@/inngest/functions/dunning");
    const { dunningSteps } = await import("@/drizzle/schema");
    const sim = await makeSimulation({ start: new Date(Date.now() - 3 * 86_400_000).toISOString() });
    const { caseId } = await sim.failingRenewal("tok_generic_decline");
    // Make the first planned step due in real time (the cron uses the real clock).
    const [first] = (await sim.stepsOf(caseId!)).filter((s) => s.status === "pending");
    await sim.db.update(dunningSteps).set({ dueAt: new Date(Date.now() - 60_000) }).where(eq(dunningSteps.id, first!.id));

    const sent: { name: string; data: { stepId: string; connectionId?: string }; id?: string }[] = [];
    const cronEngine = new InngestTestEngine({
      function: claimDueStepsFunction(inngest),
      transformCtx: (ctx) => {
        const original = ctx.step;
        const sendEvent = async (_id: string, events: never[]) => {
          sent.push(...events);
          return { ids: [] };
        };
        return { ...ctx, step: { ...original, sendEvent } } as unknown as typeof ctx;
      },
    });
    const { result } = await cronEngine.execute();
    expect((result as { claimed: number }).claimed).toBeGreaterThanOrEqual(1);
    const mine = sent.find((e) => e.data.stepId === first!.id)!;
    expect(mine).toMatchObject({ name: "dunning/step.due", id: first!.id, data: { connectionId: sim.connection.id } });

    const runEngine = new InngestTestEngine({ function: runStepFunction(inngest) });
    const run = await runEngine.execute({ events: [{ name: "dunning/step.due", data: mine.data }] });
    expect(run.error).toBeUndefined();
    const [after] = await sim.db.select().from(dunningSteps).where(eq(dunningSteps.id, first!.id));
    expect(["done", "skipped"]).toContain(after!.status);
    // Delivered again (Inngest retries, duplicate events): a finished step is not run twice.
    const again = await new InngestTestEngine({ function: runStepFunction(inngest) }).execute({ events: [{ name: "dunning/step.due", data: mine.data }] });
    expect(again.result).toMatchObject({ status: "skipped", detail: "not claimed" });
  });
});
