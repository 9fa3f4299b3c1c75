import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { invoices, paymentAttempts, webhookEvents } from "@/drizzle/schema";
import { addConnection, rotateSecrets } from "@/lib/billing/connections";
import { processPendingInbox } from "@/lib/billing/dispatch";
import { receiveWebhook, MAX_WEBHOOK_BYTES } from "@/lib/billing/webhooks";
import type { WebhookRequest } from "@/lib/billing/types";
import { closeDb, getDatabaseUrl, getDb, useDatabaseUrl } from "@/lib/db/client";
import { startFakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET, type FakeStripe } from "../../fakes/stripe-api";
import { eventAbout, signWebhook } from "../../helpers/stripe-events";
import { makeWorkspace } from "../../helpers/factories";

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(() => fake.close());

const noDefer = () => {};
const cli = { kind: "cli" } as const;

async function stripeConnection() {
  const ws = await makeWorkspace();
  const view = await addConnection(await getDb(), { provider: "stripe", workspaceId: ws.id, secretKey: TEST_SECRET_KEY, webhookSecrets: [TEST_WEBHOOK_SECRET], apiBase: fake.url }, cli);
  return { workspaceId: ws.id, connectionId: view.id };
}

const post = (connectionId: string, delivery: WebhookRequest, provider: "stripe" | "chargebee" = "stripe") =>
  receiveWebhook(provider, connectionId, new Request(`http://localhost/api/webhooks/${provider}/${connectionId}`, { method: "POST", headers: delivery.headers, body: delivery.rawBody }), {
    defer: noDefer,
  });

async function inboxCount(connectionId: string) {
  const [row] = await (await getDb()).select({ n: count() }).from(webhookEvents).where(eq(webhookEvents.connectionId, connectionId));
  return row!.n;
}

/** A failed invoice at the fake: a declined charge and Stripe's invoice.payment_failed event. */
function failedInvoice() {
  const customer = fake.state.addCustomer({ email: "ana@example.com" });
  const card = fake.state.addCard(customer.id, { behaviour: { outcome: "decline", declineCode: "insufficient_funds", adviceCode: "try_again_later", networkDeclineCode: "51" } });
  const invoice = fake.state.addInvoice(customer.id, { amountDue: 4900 });
  fake.state.attemptInvoice(invoice.id);
  return { customer, card, invoice, failed: eventAbout(fake.state, "invoice.payment_failed", fake.state.invoices.get(invoice.id)) };
}

describe("Stripe webhooks through the route's logic", () => {
  it("stores a verified event before answering, then processing records the invoice and the declined attempt", async () => {
    const { connectionId } = await stripeConnection();
    const { invoice, failed } = failedInvoice();
    const result = await post(connectionId, signWebhook(failed));
    expect(result).toMatchObject({ status: 200, body: { received: true, duplicate: false } });
    expect(await inboxCount(connectionId)).toBe(1);
    await processPendingInbox(await getDb());
    const db = await getDb();
    const [row] = await db.select().from(invoices).where(and(eq(invoices.connectionId, connectionId), eq(invoices.externalId, invoice.id)));
    expect(row).toMatchObject({ status: "open", amountRemaining: 4900, currency: "eur" });
    const attempts = await db.select().from(paymentAttempts).where(eq(paymentAttempts.connectionId, connectionId));
    expect(attempts.map((a) => [a.status, a.declineCode, a.adviceCode])).toEqual([["failed", "insufficient_funds", "try_again_later"]]);
    const [stored] = await db.select().from(webhookEvents).where(eq(webhookEvents.connectionId, connectionId));
    expect(stored!.status).toBe("processed");
  });

  it("takes the same event five times at once as one inbox row and one domain effect", async () => {
    const { connectionId } = await stripeConnection();
    const { failed } = failedInvoice();
    const delivery = signWebhook(failed);
    const results = await Promise.all(Array.from({ length: 5 }, () => post(connectionId, delivery)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.filter((r) => r.body.duplicate === false)).toHaveLength(1);
    expect(await inboxCount(connectionId)).toBe(1);
    await Promise.all([processPendingInbox(await getDb()), processPendingInbox(await getDb())]);
    const attempts = await (await getDb()).select().from(paymentAttempts).where(eq(paymentAttempts.connectionId, connectionId));
    expect(attempts).toHaveLength(1);
  });

  it("ends in the same state when an invoice's events arrive in reverse order", async () => {
    const run = async (order: "forward" | "reverse") => {
      const { connectionId } = await stripeConnection();
      const { invoice, card, failed } = failedInvoice();
      fake.state.behaviours.set(card.id, { outcome: "succeed" });
      fake.state.attemptInvoice(invoice.id);
      const paid = eventAbout(fake.state, "invoice.paid", fake.state.invoices.get(invoice.id));
      const events = order === "forward" ? [failed, paid] : [paid, failed];
      for (const event of events) {
        expect((await post(connectionId, signWebhook(event))).status).toBe(200);
        await processPendingInbox(await getDb());
      }
      const db = await getDb();
      const [row] = await db.select().from(invoices).where(eq(invoices.connectionId, connectionId));
      const attempts = await db.select().from(paymentAttempts).where(eq(paymentAttempts.connectionId, connectionId)).orderBy(paymentAttempts.status);
      return { invoice: [row!.status, row!.amountRemaining, row!.amountPaid], attempts: attempts.map((a) => [a.status, a.declineCode]) };
    };
    const forward = await run("forward");
    expect(forward.invoice).toEqual(["paid", 0, 4900]);
    expect(await run("reverse")).toEqual(forward);
  });

  it("refuses tampered bodies, wrong secrets, stale timestamps and missing headers with 400, storing nothing", async () => {
    const { connectionId } = await stripeConnection();
    const { failed } = failedInvoice();
    const good = signWebhook(failed);
    const tampered = { ...good, rawBody: good.rawBody.replace('"amount_due": 4900', '"amount_due": 1') };
    const wrongSecret = signWebhook(failed, { secret: "whsec_someone_else" });
    const stale = signWebhook(failed, { signedAt: new Date(Date.now() - 301_000) });
    const missing = { ...good, headers: new Headers({ "content-type": "application/json" }) };
    for (const delivery of [tampered, wrongSecret, stale, missing]) {
      const result = await post(connectionId, delivery);
      expect(result.status).toBe(400);
      expect(String(result.body.error)).not.toHaveLength(0);
    }
    expect(await inboxCount(connectionId)).toBe(0);
  });

  it("accepts either secret during a rotation, and only the new one after it", async () => {
    const { workspaceId, connectionId } = await stripeConnection();
    const db = await getDb();
    await rotateSecrets(db, workspaceId, connectionId, { webhookSecrets: [TEST_WEBHOOK_SECRET, "whsec_rotated_new"] }, cli);
    expect((await post(connectionId, signWebhook(failedInvoice().failed, { secret: "whsec_rotated_new" }))).status).toBe(200);
    expect((await post(connectionId, signWebhook(failedInvoice().failed))).status).toBe(200);
    await rotateSecrets(db, workspaceId, connectionId, { webhookSecrets: ["whsec_rotated_new"] }, cli);
    expect((await post(connectionId, signWebhook(failedInvoice().failed))).status).toBe(400);
    expect(await inboxCount(connectionId)).toBe(2);
  });

  it("answers 413 over 1 MiB, 404 for an unknown endpoint, and stores unknown event types as ignored", async () => {
    const { connectionId } = await stripeConnection();
    const big = signWebhook({ id: "evt_big", object: "event", type: "invoice.updated", padding: "x".repeat(MAX_WEBHOOK_BYTES) });
    expect((await post(connectionId, big)).status).toBe(413);
    expect((await post("con_does_not_exist", signWebhook(failedInvoice().failed))).status).toBe(404);
    expect((await post(connectionId, signWebhook(failedInvoice().failed), "chargebee")).status).toBe(404);
    const unknown = eventAbout(fake.state, "radar.early_fraud_warning.created", { id: "issfr_1", object: "radar.early_fraud_warning" });
    expect((await post(connectionId, signWebhook(unknown))).status).toBe(200);
    await processPendingInbox(await getDb());
    const [row] = await (await getDb()).select().from(webhookEvents).where(eq(webhookEvents.connectionId, connectionId));
    expect(row!.status).toBe("ignored");
  });

  it("answers 503 when the database is unavailable, so Stripe retries", async () => {
    const { connectionId } = await stripeConnection();
    const delivery = signWebhook(failedInvoice().failed);
    const url = await getDatabaseUrl();
    await closeDb();
    useDatabaseUrl("postgres://nobody:nothing@127.0.0.1:1/none");
    try {
      expect((await post(connectionId, delivery)).status).toBe(503);
    } finally {
      await closeDb();
      useDatabaseUrl(url);
    }
    expect(await inboxCount(connectionId)).toBe(0);
    expect((await post(connectionId, delivery)).status).toBe(200);
  });
});

describe("Chargebee webhooks through the route's logic", () => {
  it("checks basic auth: right credentials stored, wrong or missing refused with 401 and nothing stored", async () => {
    const { chargebeeEvent, chargebeeWebhookRequest, contentFor } = await import("../../helpers/chargebee-events");
    const ws = await makeWorkspace();
    const view = await addConnection(
      await getDb(),
      { provider: "chargebee", workspaceId: ws.id, site: "acme-test", apiKey: "test_cb_key_1234", webhookUsername: "dunwell", webhookPassword: "correct-horse-battery", apiBase: "http://127.0.0.1:1" },
      cli,
    );
    const event = chargebeeEvent("payment_failed", contentFor("payment_failed"));
    const now = new Date();
    expect((await post(view.id, chargebeeWebhookRequest(event, { username: "dunwell", password: "wrong-password-123" }, now), "chargebee")).status).toBe(401);
    expect((await post(view.id, chargebeeWebhookRequest(event, null, now), "chargebee")).status).toBe(401);
    expect(await inboxCount(view.id)).toBe(0);
    const ok = await post(view.id, chargebeeWebhookRequest(event, { username: "dunwell", password: "correct-horse-battery" }, now), "chargebee");
    expect(ok.status).toBe(200);
    expect((await post(view.id, chargebeeWebhookRequest(event, { username: "dunwell", password: "correct-horse-battery" }, now), "chargebee")).body.duplicate).toBe(true);
    expect(await inboxCount(view.id)).toBe(1);
  });
});
