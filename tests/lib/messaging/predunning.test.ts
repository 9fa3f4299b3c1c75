import { InngestTestEngine } from "@inngest/test";
import { and, eq } from "drizzle-orm";
import { Inngest } from "inngest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, cardExpiryNotices, customers, messages, paymentMethods } from "@/drizzle/schema";
import { predunningFunction } from "@/inngest/functions/predunning";
import { addConnection } from "@/lib/billing/connections";
import { processInboxEvent } from "@/lib/billing/process";
import { receiveWebhook } from "@/lib/billing/webhooks";
import { attachPaymentMethod, createCustomer, createSubscription, renewSubscription, updateCardExpiry } from "@/lib/billing/sandbox/simulate";
import { getDb } from "@/lib/db/client";
import { expiresByRenewal, predunningKey, runPredunning } from "@/lib/messaging/predunning";
import { saveMessagingSettings } from "@/lib/messaging/settings";
import { verifyCardToken } from "@/lib/portal/card-links";
import { portalKeyring } from "@/lib/portal/tokens";
import { startFakeStripe, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET, type FakeStripe } from "../../fakes/stripe-api";
import type { Json } from "../../fakes/stripe-state";
import { makeSimulation } from "../../helpers/dunning";
import { makeWorkspace } from "../../helpers/factories";
import { eventAbout, signWebhook } from "../../helpers/stripe-events";

const DAY = 86_400_000;

/**
 * A sandbox customer in Berlin whose default Visa expires at the end of March 2026, on a
 * monthly plan renewing 20 March 2026 10:00 UTC; the workspace's clock starts 2 March.
 */
async function expiringCard(options: { start?: string; subscriptionStart?: Date; exp?: { expMonth: number; expYear: number } } = {}) {
  const sim = await makeSimulation({ start: options.start ?? "2026-03-02T09:00:00Z" });
  const customer = await createCustomer(sim.sandbox, { email: `c${Math.random().toString(36).slice(2, 8)}@example.com`, name: "Ana", currency: "eur", timezone: "Europe/Berlin", paymentMethod: "tok_visa" });
  await updateCardExpiry(sim.sandbox, customer.default_payment_method!, options.exp ?? { expMonth: 3, expYear: 2026 });
  const subscription = await createSubscription(sim.sandbox, { customerId: customer.id, planName: "Pro", amount: 4900, currency: "eur", interval: "month", startAt: options.subscriptionStart ?? new Date("2026-02-20T10:00:00Z") });
  await sim.sync();
  const [row] = await sim.db.select().from(customers).where(and(eq(customers.workspaceId, sim.workspaceId), eq(customers.externalId, customer.id)));
  const [card] = await sim.db.select().from(paymentMethods).where(eq(paymentMethods.customerId, row!.id));
  const run = (at: string | Date) => {
    sim.clock.set(at);
    return runPredunning(sim.db, { now: sim.clock.now(), workspaceId: sim.workspaceId });
  };
  const notices = () => sim.db.select().from(cardExpiryNotices).where(eq(cardExpiryNotices.workspaceId, sim.workspaceId)).orderBy(cardExpiryNotices.createdAt);
  const cardMessages = async () => (await sim.db.select().from(messages).where(eq(messages.workspaceId, sim.workspaceId))).filter((m) => m.template === "card_expiring");
  return { sim, db: sim.db, customer, subscription, customerId: row!.id, card: card!, run, notices, cardMessages };
}

describe("pre-dunning: cards that expire before the next renewal", () => {
  it("sends exactly one card-expiring email per card and renewal while the job runs daily for a week", async () => {
    const t = await expiringCard();
    for (let day = 0; day < 7; day += 1) await t.run(new Date(Date.parse("2026-03-02T10:00:00Z") + day * DAY));
    const sent = await t.cardMessages();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ status: "sent", channel: "email", recipient: t.customer.email, caseId: null, idempotencyKey: `predunning:${t.card.id}:2026-03:2026-03-20` });
    expect(sent[0]!.subject).toBe("Your Visa card ending in 4242 is about to expire");
    expect(sent[0]!.text).toContain("March 20, 2026");
    // A signed, case-free card link for this customer (tests/lib/portal/card-links.test.ts follows it).
    const link = /http:\/\/localhost:3999\/portal\/c\/([A-Za-z0-9_.-]+)/.exec(sent[0]!.html ?? "")?.[1];
    expect(verifyCardToken(link, portalKeyring("card-link"))).toMatchObject({ workspaceId: t.sim.workspaceId, customerId: t.customerId });
    expect(sent[0]!.sentAt?.toISOString()).toBe("2026-03-02T10:00:00.000Z");
    expect(await t.notices()).toMatchObject([{ status: "sent", source: "scan", messageId: sent[0]!.id, expMonth: 3, expYear: 2026 }]);
  });

  it("skips a card the account updater refreshed after it was flagged, and flags it no more", async () => {
    const t = await expiringCard();
    // 03:00 in Berlin: flagged, but the message waits for the customer's sending hours.
    expect(await t.run("2026-03-02T02:00:00Z")).toMatchObject({ flagged: 1, deferred: 1, sent: 0 });
    await updateCardExpiry(t.sim.sandbox, t.customer.default_payment_method!, { expMonth: 3, expYear: 2029 });
    await t.sim.sync();
    for (let day = 0; day < 7; day += 1) await t.run(new Date(Date.parse("2026-03-02T10:00:00Z") + day * DAY));
    expect(await t.cardMessages()).toHaveLength(0);
    const [notice] = await t.notices();
    expect(notice).toMatchObject({ status: "skipped" });
    expect(notice!.reason).toMatch(/refreshed .*03\/2029.*account updater/);
    expect(await t.notices()).toHaveLength(1);
    const audit = await t.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, t.sim.workspaceId), eq(auditLog.action, "predunning.skipped")));
    expect(audit).toHaveLength(1);
  });

  it("says nothing to a customer with an open case: the dunning messages already ask for a card", async () => {
    const t = await expiringCard();
    // The same customer's add-on fails to renew on a new default card: a case opens; the Pro plan stays active.
    const addOn = await createSubscription(t.sim.sandbox, { customerId: t.customer.id, planName: "Add-on", amount: 900, currency: "eur", interval: "month", startAt: new Date("2026-02-01T10:00:00Z") });
    const declining = await attachPaymentMethod(t.sim.sandbox, t.customer.id, "tok_generic_decline", { makeDefault: true });
    await updateCardExpiry(t.sim.sandbox, declining.id, { expMonth: 3, expYear: 2026 });
    expect((await renewSubscription(t.sim.sandbox, addOn.id)).charge?.status).toBe("failed");
    await t.sim.sync();

    for (let day = 0; day < 7; day += 1) await t.run(new Date(Date.parse("2026-03-02T10:00:00Z") + day * DAY));
    expect(await t.cardMessages()).toHaveLength(0);
    const notices = await t.notices();
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ status: "skipped", renewalAt: new Date("2026-03-20T10:00:00Z") });
    expect(notices[0]!.reason).toMatch(/in dunning \(case /);
  });

  it("keeps to the customer's sending hours: flagged at night, sent when the day starts in Berlin", async () => {
    const t = await expiringCard();
    expect(await t.run("2026-03-02T02:00:00Z")).toMatchObject({ flagged: 1, deferred: 1 });
    expect(await t.notices()).toMatchObject([{ status: "pending", dueAt: new Date("2026-03-02T07:00:00Z") }]);
    expect(await t.run("2026-03-02T05:00:00Z")).toMatchObject({ sent: 0, deferred: 0 });
    expect(await t.cardMessages()).toHaveLength(0);
    expect(await t.run("2026-03-02T07:05:00Z")).toMatchObject({ sent: 1 });
    const [message] = await t.cardMessages();
    expect(message!.sentAt?.toISOString()).toBe("2026-03-02T07:05:00.000Z");
  });

  it("waits until the renewal is 30 days away, and warns again for the next renewal the card misses", async () => {
    const t = await expiringCard({ start: "2026-02-10T09:00:00Z" });
    expect(await t.run("2026-02-10T10:00:00Z")).toMatchObject({ flagged: 0 });
    // The renewal (20 March 10:00 UTC) comes within 30 days at 18 February 10:00 UTC.
    expect(await t.run("2026-02-18T09:00:00Z")).toMatchObject({ flagged: 0 });
    expect(await t.run("2026-02-18T11:00:00Z")).toMatchObject({ flagged: 1, sent: 1 });
    t.sim.clock.set("2026-03-20T10:00:00Z");
    await renewSubscription(t.sim.sandbox, t.subscription.id);
    await t.sim.sync();
    for (let day = 0; day < 5; day += 1) await t.run(new Date(Date.parse("2026-03-21T10:00:00Z") + day * DAY));
    expect((await t.cardMessages()).map((m) => m.idempotencyKey).sort()).toEqual([predunningKey(t.card.id, { expMonth: 3, expYear: 2026 }, new Date("2026-03-20T10:00:00Z")), predunningKey(t.card.id, { expMonth: 3, expYear: 2026 }, new Date("2026-04-20T10:00:00Z"))]);
  });

  it("runs as an Inngest cron function over every workspace, on today's clock", async () => {
    const now = new Date();
    const renewal = new Date(now.getTime() + 10 * DAY);
    const t = await expiringCard({ start: now.toISOString(), subscriptionStart: new Date(renewal.getTime() - 30 * DAY), exp: { expMonth: now.getUTCMonth() + 1, expYear: now.getUTCFullYear() } });
    const engine = new InngestTestEngine({ function: predunningFunction(new Inngest({ id: "dunwell-test", isDev: true })) });
    const { result, error } = await engine.execute();
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ flagged: expect.any(Number) });
    // Sent, or waiting for the morning in Berlin: either way flagged once, for this card and renewal.
    expect(await t.notices()).toMatchObject([{ paymentMethodId: t.card.id, status: expect.stringMatching(/^(sent|pending)$/) }]);
  });
});

describe("the provider's card-expiring events", () => {
  let fake: FakeStripe;
  beforeAll(async () => {
    fake = await startFakeStripe();
  });
  afterAll(() => fake.close());

  it("Stripe's customer.source.expiring flags the default card: due at once within 30 days of the renewal, else 30 days before it", async () => {
    const db = await getDb();
    const ws = await makeWorkspace();
    await saveMessagingSettings(db, ws.id, { sendWindowStartHour: 0, sendWindowEndHour: 24, maxRemindersPer7Days: 2, branding: {}, smsEnabled: false }, { kind: "system" });
    const view = await addConnection(db, { provider: "stripe", workspaceId: ws.id, secretKey: TEST_SECRET_KEY, webhookSecrets: [TEST_WEBHOOK_SECRET], apiBase: fake.url }, { kind: "cli" });
    const deliver = async (type: string, object: Json) => {
      const delivery = signWebhook(eventAbout(fake.state, type, object));
      const received = await receiveWebhook("stripe", view.id, new Request("http://localhost/api/webhooks/stripe", { method: "POST", headers: delivery.headers, body: delivery.rawBody }), { defer: () => {} });
      expect(await processInboxEvent(db, received.eventId!)).toBe("processed");
    };
    const now = new Date();
    const thisMonth = { expMonth: now.getUTCMonth() + 1, expYear: now.getUTCFullYear() };
    const inDays = (days: number) => Math.floor(now.getTime() / 1000) + days * 86_400;
    const cards: Json[] = [];
    for (const days of [12, 200]) {
      const customer = fake.state.addCustomer({ email: `renews-in-${days}@example.com` });
      cards.push(fake.state.addCard(customer.id, thisMonth));
      await deliver("customer.subscription.updated", fake.state.addSubscription(customer.id, { periodEnd: inDays(days), interval: days > 100 ? "year" : "month" }));
      await deliver("customer.source.expiring", cards.at(-1)!);
    }
    const notices = await db.select().from(cardExpiryNotices).where(eq(cardExpiryNotices.workspaceId, ws.id)).orderBy(cardExpiryNotices.renewalAt);
    expect(notices).toMatchObject([
      { source: "provider_event", status: "pending", renewalAt: new Date(inDays(12) * 1000) },
      { source: "provider_event", status: "pending", renewalAt: new Date(inDays(200) * 1000), dueAt: new Date((inDays(200) - 30 * 86_400) * 1000) },
    ]);
    expect(notices[0]!.dueAt.getTime()).toBeLessThanOrEqual(Date.now());

    await runPredunning(db, { workspaceId: ws.id });
    const sent = (await db.select().from(messages).where(eq(messages.workspaceId, ws.id))).filter((m) => m.template === "card_expiring");
    expect(sent.map((m) => [m.recipient, m.status])).toEqual([["renews-in-12@example.com", "sent"]]);
  });
});

describe("pre-dunning's pure rules", () => {
  it("counts a card as expiring by the renewal through the end of the renewal's month", () => {
    const renewal = new Date("2026-03-20T10:00:00Z");
    expect(expiresByRenewal({ expMonth: 2, expYear: 2026 }, renewal)).toBe(true);
    expect(expiresByRenewal({ expMonth: 3, expYear: 2026 }, renewal)).toBe(true);
    expect(expiresByRenewal({ expMonth: 4, expYear: 2026 }, renewal)).toBe(false);
    expect(expiresByRenewal({ expMonth: 12, expYear: 2025 }, new Date("2026-01-05T00:00:00Z"))).toBe(true);
    expect(expiresByRenewal({ expMonth: 1, expYear: 2026 }, new Date("2025-12-31T23:59:59Z"))).toBe(false);
  });

  it("keys a notice by card, expiry and renewal date", () => {
    expect(predunningKey("pm_1", { expMonth: 3, expYear: 2026 }, new Date("2026-03-20T10:00:00Z"))).toBe("predunning:pm_1:2026-03:2026-03-20");
  });
});
