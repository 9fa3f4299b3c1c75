import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dunningCases, dunningSteps, installmentPlans, invoices } from "@/drizzle/schema";
import { addConnection, getConnection } from "@/lib/billing/connections";
import { processPendingInbox } from "@/lib/billing/dispatch";
import { receiveWebhook } from "@/lib/billing/webhooks";
import { systemClock } from "@/lib/clock";
import { getDb, type Db } from "@/lib/db/client";
import { loadPortalCase, type PortalCase } from "@/lib/portal/context";
import { chooseInstallmentPlan } from "@/lib/portal/installment-plans";
import { tokenVersionOf } from "@/lib/portal/links";
import { PORTAL_SESSION_TTL_MS } from "@/lib/portal/sessions";
import { finishStripeInstallment, startStripeInstallment } from "@/lib/portal/stripe-installments";
import { startFakeStripe, TEST_PUBLISHABLE_KEY, TEST_SECRET_KEY, TEST_WEBHOOK_SECRET, type FakeStripe } from "../../fakes/stripe-api";
import type { CardBehaviour, Json } from "../../fakes/stripe-state";
import { makeWorkspace } from "../../helpers/factories";
import { eventAbout, signWebhook } from "../../helpers/stripe-events";

let fake: FakeStripe;
beforeAll(async () => {
  fake = await startFakeStripe();
});
afterAll(() => fake.close());

const insufficientFunds: CardBehaviour = { outcome: "decline", declineCode: "insufficient_funds", adviceCode: "try_again_later" };

async function deliver(db: Db, connectionId: string, event: Json) {
  const delivery = signWebhook(event);
  const request = new Request(`http://localhost/api/webhooks/stripe/${connectionId}`, { method: "POST", headers: delivery.headers, body: delivery.rawBody });
  expect((await receiveWebhook("stripe", connectionId, request, { defer: () => {} })).status).toBe(200);
  await processPendingInbox(db, systemClock);
}

/**
 * A Stripe workspace whose customer's renewal (€49) was declined and opened a case; the
 * customer's card on file now is one whose bank asks for 3-D Secure on every payment.
 */
async function renewalWithSecureCard() {
  const db = await getDb();
  const ws = await makeWorkspace();
  const view = await addConnection(
    db,
    { provider: "stripe", workspaceId: ws.id, secretKey: TEST_SECRET_KEY, webhookSecrets: [TEST_WEBHOOK_SECRET], apiBase: fake.url, publishableKey: TEST_PUBLISHABLE_KEY },
    { kind: "system" },
  );
  const connection = await getConnection(db, view.id, ws.id);
  const customer = fake.state.addCustomer({ email: "ana@example.com" });
  fake.state.addCard(customer.id, { behaviour: insufficientFunds, last4: "9995" });
  const subscription = fake.state.addSubscription(customer.id, { status: "past_due" });
  const invoice = fake.state.addInvoice(customer.id, { subscriptionId: subscription.id, amountDue: 4900 });
  fake.state.attemptInvoice(invoice.id);
  await deliver(db, connection.id, eventAbout(fake.state, "invoice.payment_failed", fake.state.invoices.get(invoice.id)));
  const card = fake.state.addCard(customer.id, { behaviour: { outcome: "requires_action" }, last4: "3184" });

  const [row] = await db.select().from(invoices).where(and(eq(invoices.connectionId, connection.id), eq(invoices.externalId, invoice.id)));
  const [kase] = await db.select().from(dunningCases).where(eq(dunningCases.invoiceId, row!.id));
  const portal = async (): Promise<PortalCase> => {
    const session = { workspaceId: ws.id, customerId: kase!.customerId, caseId: kase!.id, version: await tokenVersionOf(db, kase!.id), expiresAt: new Date(Date.now() + PORTAL_SESSION_TTL_MS) };
    return (await loadPortalCase(db, session, systemClock))!;
  };
  const caseNow = async () => (await db.select().from(dunningCases).where(eq(dunningCases.id, kase!.id)))[0]!;
  const planNow = async (id: string) => (await db.select().from(installmentPlans).where(eq(installmentPlans.id, id)))[0]!;
  const stepsNow = () => db.select().from(dunningSteps).where(eq(dunningSteps.caseId, kase!.id));
  const invoiceNow = async () => (await db.select().from(invoices).where(eq(invoices.id, row!.id)))[0]!;
  return { db, customer, card, invoice, caseId: kase!.id, portal, caseNow, planNow, stepsNow, invoiceNow };
}

type Setup = Awaited<ReturnType<typeof renewalWithSecureCard>>;

/** The customer chooses 3 installments; the first part waits for their bank. */
async function chooseThree(t: Setup) {
  const choice = await chooseInstallmentPlan(t.db, await t.portal(), 3);
  expect(choice.status).toBe("requires_action");
  return choice.plan;
}

/** Everything a refused or premature finish must leave as it was. */
const snapshot = async (t: Setup, planId: string) => ({ plan: await t.planNow(planId), case: await t.caseNow(), steps: await t.stepsNow(), invoice: await t.invoiceNow() });

describe("an installment plan's first part that needs 3-D Secure on Stripe", () => {
  it("waits in a pending plan with the PaymentIntent as reference, and choosing again charges nothing twice", async () => {
    const t = await renewalWithSecureCard();
    const plan = await chooseThree(t);
    const reference = plan.parts[0]!.actionReference!;
    expect(reference).toMatch(/^pi_/);
    expect(plan).toMatchObject({ status: "pending" });
    expect(plan.parts.map((part) => [part.amountMinor, part.status])).toEqual([
      [1634, "requires_action"],
      [1633, "scheduled"],
      [1633, "scheduled"],
    ]);
    const intent = fake.state.paymentIntents.get(reference);
    expect(intent).toMatchObject({ amount: 1634, customer: t.customer.id, status: "requires_payment_method", last_payment_error: expect.objectContaining({ code: "authentication_required" }) });
    expect(fake.state.paymentsOf(t.invoice.id).map((p) => p.payment.payment_intent)).toContain(reference);
    const intents = fake.state.paymentIntents.size;
    const charges = fake.state.charges.size;

    const again = await chooseInstallmentPlan(t.db, await t.portal(), 3);
    expect(again).toMatchObject({ status: "requires_action", plan: { id: plan.id }, reference });
    expect(fake.state.paymentIntents.size).toBe(intents);
    expect(fake.state.charges.size).toBe(charges);
    expect(fake.requests.filter((r) => r.idempotencyKey === `portal:installment:${plan.id}:1`).map((r) => r.replayed)).toEqual([false, true]);
    expect((await t.caseNow()).status).toBe("open");

    const start = await startStripeInstallment(t.db, await t.portal(), plan.id);
    expect(start).toMatchObject({ kind: "ready", clientSecret: intent.client_secret, publishableKey: TEST_PUBLISHABLE_KEY, paymentMethod: t.card.id });
  });

  it("after the customer passes the challenge, finishing activates the plan, pauses the case and schedules parts 2 and 3", async () => {
    const t = await renewalWithSecureCard();
    const plan = await chooseThree(t);
    const start = await startStripeInstallment(t.db, await t.portal(), plan.id);
    if (start.kind !== "ready") throw new Error("expected the confirmation form");

    // Not yet confirmed, then a challenge that failed: nothing changes, and the customer may try again.
    const before = await snapshot(t, plan.id);
    expect(await finishStripeInstallment(t.db, await t.portal(), plan.id)).toMatchObject({ status: "requires_action" });
    fake.state.authenticateInBrowser(start.clientSecret, { pass: false });
    expect(await finishStripeInstallment(t.db, await t.portal(), plan.id)).toMatchObject({ status: "requires_action" });
    expect(await snapshot(t, plan.id)).toEqual(before);
    expect(await startStripeInstallment(t.db, await t.portal(), plan.id)).toMatchObject({ kind: "ready", paymentMethod: t.card.id });

    fake.state.authenticateInBrowser(start.clientSecret, { pass: true });
    expect((await t.caseNow()).status).toBe("open"); // the browser's word alone changes nothing
    const done = await finishStripeInstallment(t.db, await t.portal(), plan.id);
    expect(done.status).toBe("active");
    const active = await t.planNow(plan.id);
    expect(active.status).toBe("active");
    expect(active.parts.map((part) => part.status)).toEqual(["paid", "scheduled", "scheduled"]);
    expect(active.parts[0]).toMatchObject({ actionReference: null, attemptExternalId: expect.stringMatching(/^ch_/) });
    expect(await t.caseNow()).toMatchObject({ status: "paused", pauseReason: "installment plan" });
    const pending = (await t.stepsNow()).filter((s) => s.status === "pending");
    expect(pending.map((s) => [s.kind, s.key])).toEqual([
      ["installment", `installment:${plan.id}:2`],
      ["installment", `installment:${plan.id}:3`],
    ]);
    expect(fake.state.invoices.get(t.invoice.id).amount_remaining).toBe(4900 - 1634);
    expect((await t.invoiceNow()).amountRemaining).toBe(4900 - 1634);

    // A second submit changes nothing twice.
    expect(await finishStripeInstallment(t.db, await t.portal(), plan.id)).toMatchObject({ status: "active" });
    expect((await t.stepsNow()).filter((s) => s.kind === "installment")).toHaveLength(2);
  });

  it("a card declined after the challenge fails the plan and leaves the case as it was", async () => {
    const t = await renewalWithSecureCard();
    const plan = await chooseThree(t);
    const start = await startStripeInstallment(t.db, await t.portal(), plan.id);
    if (start.kind !== "ready") throw new Error("expected the confirmation form");
    fake.state.behaviours.set(t.card.id, insufficientFunds);
    fake.state.authenticateInBrowser(start.clientSecret, { pass: true });
    expect(await finishStripeInstallment(t.db, await t.portal(), plan.id)).toMatchObject({ status: "declined", declineCode: "insufficient_funds" });
    expect((await t.planNow(plan.id)).status).toBe("failed");
    expect((await t.caseNow()).status).toBe("open");
    expect((await t.stepsNow()).filter((s) => s.kind === "installment")).toEqual([]);
  });

  it("refuses a plan of another case and a PaymentIntent of another customer, changing nothing", async () => {
    const t = await renewalWithSecureCard();
    const other = await renewalWithSecureCard();
    const plan = await chooseThree(t);
    const theirs = await chooseThree(other);
    const otherStart = await startStripeInstallment(other.db, await other.portal(), theirs.id);
    if (otherStart.kind !== "ready") throw new Error("expected the confirmation form");
    fake.state.authenticateInBrowser(otherStart.clientSecret, { pass: true });
    const theirsBefore = await snapshot(other, theirs.id);

    await expect(finishStripeInstallment(t.db, await t.portal(), theirs.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(startStripeInstallment(t.db, await t.portal(), theirs.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await snapshot(other, theirs.id)).toEqual(theirsBefore);

    // This customer's plan pointing at the other customer's (succeeded) PaymentIntent.
    const foreign = theirs.parts[0]!.actionReference!;
    const parts = plan.parts.map((part, i) => (i === 0 ? { ...part, actionReference: foreign } : part));
    await t.db.update(installmentPlans).set({ parts }).where(eq(installmentPlans.id, plan.id));
    const before = await snapshot(t, plan.id);
    const asked = fake.requests.length;
    await expect(finishStripeInstallment(t.db, await t.portal(), plan.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(startStripeInstallment(t.db, await t.portal(), plan.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await snapshot(t, plan.id)).toEqual(before);
    expect(fake.requests.slice(asked).filter((r) => r.method === "POST")).toEqual([]);
    expect(await snapshot(other, theirs.id)).toEqual(theirsBefore);
  });
});
