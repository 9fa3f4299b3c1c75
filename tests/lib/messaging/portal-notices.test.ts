import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { caseEvents, customers, dunningCases, memberships, messages } from "@/drizzle/schema";
import { attachPaymentMethod } from "@/lib/billing/sandbox/simulate";
import { saveMessagingSettings } from "@/lib/messaging/settings";
import { addSuppression } from "@/lib/messaging/suppressions";
import { requestHelp } from "@/lib/portal/help";
import { chooseInstallmentPlan } from "@/lib/portal/installment-plans";
import { notifyPortal, type PortalNotice } from "@/lib/portal/notify";
import { promiseToPay } from "@/lib/portal/promise";
import { makeUser } from "../../helpers/factories";
import { makeSimulation, portalCaseOf, runHours, type Sim } from "../portal/helpers";

const messagesOf = (sim: Sim) => sim.db.select().from(messages).where(eq(messages.workspaceId, sim.workspaceId)).orderBy(messages.createdAt);
const ofCase = async (sim: Sim, caseId: string) => (await messagesOf(sim)).filter((m) => m.caseId === caseId);

async function caseInLocale(sim: Sim, locale: string, card: Parameters<Sim["failingRenewal"]>[0] = "tok_insufficient_funds", amount?: number) {
  const renewal = await sim.failingRenewal(card, amount);
  const c = await sim.caseOf(renewal.caseId!);
  await sim.db.update(customers).set({ locale }).where(eq(customers.id, c.customerId));
  return { ...renewal, caseId: renewal.caseId!, customerId: c.customerId };
}

async function addOperator(sim: Sim, role: "owner" | "admin" | "viewer") {
  const user = await makeUser();
  await sim.db.insert(memberships).values({ workspaceId: sim.workspaceId, userId: user.id, role });
  return user;
}

describe("portal acknowledgements through the messaging engine", () => {
  it("a help request: the customer hears back once, in their language; owners and admins get a link to the case", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    await saveMessagingSettings(sim.db, sim.workspaceId, { sendWindowStartHour: 8, sendWindowEndHour: 21, maxRemindersPer7Days: 2, branding: { name: "Brauhaus" }, smsEnabled: false }, { kind: "system" });
    const owner = await addOperator(sim, "owner");
    const admin = await addOperator(sim, "admin");
    const viewer = await addOperator(sim, "viewer");
    const { caseId, customerId } = await caseInLocale(sim, "de");
    const before = (await ofCase(sim, caseId)).length;

    const p = await portalCaseOf(sim, caseId);
    const { requestId } = await requestHelp(sim.db, p, { topic: "dispute", message: "Ich habe nie Pro gebucht." });
    // The portal tells again (a retried action, a second process): still one message each.
    const notice: PortalNotice = { kind: "help_requested", workspaceId: sim.workspaceId, caseId, customerId, requestId, topic: "dispute", message: "Ich habe nie Pro gebucht." };
    await notifyPortal(sim.db, notice);

    const acks = (await ofCase(sim, caseId)).slice(before);
    expect(acks.map((m) => [m.template, m.status, m.locale, m.idempotencyKey])).toEqual([["help_received", "sent", "de", `portal:help:${requestId}`]]);
    expect(acks[0]!.subject).toBe("Wir haben Ihre Anfrage erhalten");
    expect(acks[0]!.text).toContain("Guten Tag Test");
    expect(acks[0]!.text).toContain("Rechnung SBX-0001");
    expect(acks[0]!.html).toContain("Brauhaus");
    // Transactional: no unsubscribe link or header, whatever the cap.
    expect(acks[0]!.headers).toEqual({});
    expect(acks[0]!.text).not.toMatch(/abmelden|unsubscribe/i);

    const toOperators = (await messagesOf(sim)).filter((m) => m.template === "operator_help_requested");
    expect(toOperators.map((m) => m.recipient).sort()).toEqual([owner.email, admin.email].sort());
    expect(toOperators.map((m) => m.recipient)).not.toContain(viewer.email);
    for (const m of toOperators) {
      expect(m).toMatchObject({ status: "sent", locale: "en", caseId: null, customerId: null });
      expect(m.subject).toBe("Help requested: Test disputes the charge");
      expect(m.text).toContain("Their message: “Ich habe nie Pro gebucht.”");
      expect(m.text).toContain(`http://localhost:3999/admin/cases/${caseId}`);
      expect(m.html).toContain(`href="http://localhost:3999/admin/cases/${caseId}"`);
    }
    const timeline = await sim.db.select().from(caseEvents).where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, "message_sent")));
    expect(timeline.filter((e) => /help_received/.test(e.message))).toHaveLength(1);
  }, 120_000);

  it("a promise: confirmed in French with the promised date and the amount", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const { caseId } = await caseInLocale(sim, "fr-FR");
    const { date } = await promiseToPay(sim.db, await portalCaseOf(sim, caseId), "2026-03-10");
    expect(date).toBe("2026-03-10");
    const [ack] = (await ofCase(sim, caseId)).filter((m) => m.template === "promise_confirmed");
    expect(ack).toMatchObject({ status: "sent", locale: "fr" });
    expect(ack!.subject).toBe("Merci, nous avons noté votre date de paiement");
    expect(ack!.text).toMatch(/49,00\s€/);
    expect(ack!.text).toContain("10 mars 2026");
  }, 120_000);

  it("an installment plan: confirmed with its schedule, and a failed part told once with its amount and date", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const { caseId, customer, customerId } = await caseInLocale(sim, "es", { token: "tok_visa", declineUntil: "2026-03-02T12:00:00Z" }, 9000);
    sim.clock.advance(6 * 3600_000);
    const choice = await chooseInstallmentPlan(sim.db, await portalCaseOf(sim, caseId), 3);
    expect(choice.status).toBe("active");
    const plan = choice.plan;

    const [confirmed] = (await ofCase(sim, caseId)).filter((m) => m.template === "installment_confirmed");
    expect(confirmed).toMatchObject({ status: "sent", locale: "es", idempotencyKey: `portal:installment:${plan.id}:confirmed` });
    expect(confirmed!.subject).toBe("Su plan de pagos está confirmado");
    expect(confirmed!.text).toMatch(/90,00\s€/);
    for (const part of plan.parts) expect(confirmed!.text).toMatch(new RegExp(`${new Date(part.dueAt).getUTCDate()} de [a-z]+ de 2026`));

    // The card is replaced by one that declines: part 2 fails and the plan ends.
    await attachPaymentMethod(sim.sandbox, customer.id, "tok_generic_decline", { makeDefault: true });
    await sim.sync();
    await sim.db.update(customers).set({ locale: "es" }).where(eq(customers.id, customerId));
    await runHours(sim, 31 * 24, async () => (await sim.caseOf(caseId)).status !== "paused");
    const part2 = plan.parts[1]!;
    await notifyPortal(sim.db, { kind: "installment_failed", workspaceId: sim.workspaceId, caseId, customerId, planId: plan.id, part: 2 });

    const failed = (await ofCase(sim, caseId)).filter((m) => m.template === "installment_failed");
    expect(failed.map((m) => [m.status, m.locale, m.idempotencyKey])).toEqual([["sent", "es", `portal:installment:${plan.id}:2:failed`]]);
    expect(failed[0]!.subject).toBe("No se pudo cobrar su cuota");
    expect(failed[0]!.text).toMatch(/30,00\s€/);
    expect(failed[0]!.text).toContain(`${new Date(part2.dueAt).getUTCDate()} de`);
    expect(failed[0]!.headers).toEqual({});
  }, 180_000);

  it("skips a bounced customer (the operators still hear), but an unsubscribe does not stop an acknowledgement", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const owner = await addOperator(sim, "owner");
    const bounced = await caseInLocale(sim, "en");
    const unsubscribed = await caseInLocale(sim, "en");
    const at = sim.clock.now();
    for (const [who, reason] of [[bounced, "bounced"], [unsubscribed, "unsubscribed"]] as const) {
      const [c] = await sim.db.select({ email: customers.email }).from(customers).innerJoin(dunningCases, eq(dunningCases.customerId, customers.id)).where(eq(dunningCases.id, who.caseId));
      await addSuppression(sim.db, { workspaceId: sim.workspaceId, channel: "email", recipient: c!.email!, reason, at, actor: { kind: "system" }, source: "test" });
    }
    await requestHelp(sim.db, await portalCaseOf(sim, bounced.caseId), { topic: "already_canceled", message: null });
    await requestHelp(sim.db, await portalCaseOf(sim, unsubscribed.caseId), { topic: "already_canceled", message: null });

    const [skipped] = (await ofCase(sim, bounced.caseId)).filter((m) => m.template === "help_received");
    expect(skipped).toMatchObject({ status: "skipped", skipReason: "the recipient bounced before (bounced)", html: null });
    const [sent] = (await ofCase(sim, unsubscribed.caseId)).filter((m) => m.template === "help_received");
    expect(sent).toMatchObject({ status: "sent" });
    const toOwner = (await messagesOf(sim)).filter((m) => m.template === "operator_help_requested");
    expect(toOwner.map((m) => [m.recipient, m.status])).toEqual([
      [owner.email, "sent"],
      [owner.email, "sent"],
    ]);
  }, 120_000);

  it("answers at once in the middle of the customer's night (no quiet hours), and a bounced operator is skipped", async () => {
    const sim = await makeSimulation({ start: "2026-03-02T08:00:00Z" });
    const owner = await addOperator(sim, "owner");
    await addSuppression(sim.db, { workspaceId: sim.workspaceId, channel: "email", recipient: owner.email, reason: "bounced", at: sim.clock.now(), actor: { kind: "system" }, source: "test" });
    const { caseId, customerId } = await caseInLocale(sim, "en");
    const night = new Date("2026-03-03T02:00:00Z"); // 03:00 in Berlin
    await notifyPortal(sim.db, { kind: "help_requested", workspaceId: sim.workspaceId, caseId, customerId, requestId: "preq_night", topic: "question", message: "Why?", at: night });
    const [ack] = (await ofCase(sim, caseId)).filter((m) => m.template === "help_received");
    expect(ack).toMatchObject({ status: "sent", sentAt: night });
    const [toOwner] = (await messagesOf(sim)).filter((m) => m.template === "operator_help_requested");
    expect(toOwner).toMatchObject({ recipient: owner.email, status: "skipped" });
  }, 120_000);
});
