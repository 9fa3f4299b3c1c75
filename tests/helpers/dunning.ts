import { and, eq } from "drizzle-orm";
import { dunningCases, dunningSteps, invoices, sandboxObjects, type Connection } from "@/drizzle/schema";
import { addConnection, getConnection } from "@/lib/billing/connections";
import { processPendingInbox } from "@/lib/billing/dispatch";
import { contextFor } from "@/lib/billing/providers";
import { deliverSandboxConnection } from "@/lib/billing/sandbox-delivery";
import { createCustomer, createSubscription, renewSubscription } from "@/lib/billing/sandbox/simulate";
import { fixedClock } from "@/lib/clock";
import { getDb, type Db } from "@/lib/db/client";
import { runDueSteps } from "@/lib/dunning/engine";
import { savePolicy } from "@/lib/dunning/policies";
import { defaultPolicy, type Policy } from "@/lib/dunning/policy";
import { makeWorkspace } from "./factories";

export type Sim = Awaited<ReturnType<typeof makeSimulation>>;

/**
 * A sandbox workspace driven by one fixed clock: the sandbox account, webhook delivery,
 * processing and the engine all read it, so a test can walk a case through weeks.
 */
export async function makeSimulation(options: { start?: string; policy?: Partial<Policy>; timezone?: string } = {}) {
  const db = await getDb();
  const clock = fixedClock(options.start ?? "2026-03-02T08:00:00Z");
  const ws = await makeWorkspace();
  if (options.policy) await savePolicy(db, ws.id, "default", { ...defaultPolicy, ...options.policy }, { kind: "system" }, { makeDefault: true });
  const view = await addConnection(db, { provider: "sandbox", workspaceId: ws.id }, { kind: "system" });
  const connection: Connection = await getConnection(db, view.id, ws.id);
  const sandbox = contextFor(db, connection, clock);

  /** Deliver the sandbox's webhooks and process them, as the ticker does. */
  const sync = async () => {
    await deliverSandboxConnection(db, connection, { clock });
    await processPendingInbox(db, clock, 1000);
  };

  /** A customer whose renewal fails with the given test card; returns our invoice and case. */
  const failingRenewal = async (card: string | { token: string; declineUntil: string }, amount = 4900) => {
    const customer = await createCustomer(sandbox, { email: `c${Math.random().toString(36).slice(2, 8)}@example.com`, name: "Test", currency: "eur", timezone: options.timezone ?? "Europe/Berlin", paymentMethod: card });
    const subscription = await createSubscription(sandbox, { customerId: customer.id, planName: "Pro", amount, currency: "eur", interval: "month" });
    const renewal = await renewSubscription(sandbox, subscription.id);
    await sync();
    const [invoice] = await db.select().from(invoices).where(and(eq(invoices.connectionId, connection.id), eq(invoices.externalId, renewal.invoice!.id)));
    const [kase] = await db.select().from(dunningCases).where(eq(dunningCases.invoiceId, invoice!.id));
    return { customer, subscription, invoiceId: invoice!.id, invoiceExternalId: renewal.invoice!.id, caseId: kase?.id ?? null };
  };

  const caseOf = async (caseId: string) => (await db.select().from(dunningCases).where(eq(dunningCases.id, caseId)))[0]!;
  const stepsOf = async (caseId: string) => db.select().from(dunningSteps).where(eq(dunningSteps.caseId, caseId)).orderBy(dunningSteps.dueAt);
  const chargesAtSandbox = async () =>
    (await db.select().from(sandboxObjects).where(and(eq(sandboxObjects.connectionId, connection.id), eq(sandboxObjects.kind, "charge")))).filter((o) => !o.id.startsWith("idem_"));

  return { db: db as Db, clock, workspaceId: ws.id, connection, sandbox, sync, failingRenewal, caseOf, stepsOf, chargesAtSandbox };
}

/** Walk time forward hour by hour as the embedded ticker does: the engine's due steps, then the sandbox's webhooks in. */
export async function runEngineHours(sim: Sim, hours: number): Promise<void> {
  for (let h = 0; h < hours; h++) {
    sim.clock.advance(3600_000);
    await runDueSteps(sim.db, { now: sim.clock.now() });
    await sim.sync();
  }
}
