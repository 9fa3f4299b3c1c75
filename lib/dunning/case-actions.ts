import { and, eq, inArray } from "drizzle-orm";
import { connections, dunningCases, dunningSteps, invoices, policies, policyVersions, type DunningCase } from "@/drizzle/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import { providerFor } from "@/lib/billing/providers";
import type { Clock } from "@/lib/clock";
import type { Db, DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { closeCase, recordCaseEvent } from "./cases";
import { workspaceClock } from "./clock";
import { replanCase } from "./replan";

/** Operators' hands on a case. Every action is audited and written to the case timeline. */

async function lockCase(tx: DbOrTx, workspaceId: string, caseId: string): Promise<DunningCase> {
  const [row] = await tx.select().from(dunningCases).where(and(eq(dunningCases.workspaceId, workspaceId), eq(dunningCases.id, caseId))).for("update");
  if (!row) throw new AppError("not_found", "No such case in this workspace.");
  return row;
}

const live = (c: DunningCase) => {
  if (c.status !== "open" && c.status !== "paused") throw new AppError("conflict", `This case is ${c.status}; only open or paused cases can change.`);
};

async function audited(tx: DbOrTx, c: DunningCase, actor: Actor, action: string, message: string, data: Record<string, unknown>, at: Date) {
  await recordAudit(tx, { workspaceId: c.workspaceId, actor, action: `case.${action}`, targetType: "case", targetId: c.id, data, at });
  await recordCaseEvent(tx, c, at, action, message, data);
}

/**
 * The pause itself, in the caller's transaction on the caller's clock: the operator's
 * pauseCase below and the customer's own arrangements in the portal (help, a promise, a
 * plan) write the same state, audit action and timeline entry. `by` names who asked when
 * it was not an operator.
 */
export async function pauseLockedCase(tx: DbOrTx, c: DunningCase, input: { until: Date | null; reason: string; by?: string }, actor: Actor, now: Date): Promise<void> {
  await tx.update(dunningCases).set({ status: "paused", pausedUntil: input.until, pauseReason: input.reason, updatedAt: new Date() }).where(eq(dunningCases.id, c.id));
  const data = { until: input.until?.toISOString() ?? null, ...(input.by ? { by: input.by } : {}) };
  const who = input.by ? ` by the ${input.by}` : "";
  await audited(tx, c, actor, "paused", `Paused${who}${input.until ? ` until ${input.until.toISOString()}` : ""}: ${input.reason}`, data, now);
}

/** Back to open and re-planned from now (the planner revives steps canceled while paused); the caller's transaction and clock. */
export async function resumeLockedCase(tx: DbOrTx, c: DunningCase, actor: Actor, clock: Clock, why?: string): Promise<void> {
  await tx.update(dunningCases).set({ status: "open", pausedUntil: null, pauseReason: null, updatedAt: new Date() }).where(eq(dunningCases.id, c.id));
  await audited(tx, c, actor, "resumed", why ? `Resumed: ${why}.` : "Resumed.", why ? { why } : {}, clock.now());
  await replanCase(tx, c.id, clock);
}

export async function pauseCase(db: Db, workspaceId: string, caseId: string, input: { until?: Date; reason: string }, actor: Actor) {
  const clock = await workspaceClock(db, workspaceId);
  return db.transaction(async (tx) => {
    const c = await lockCase(tx, workspaceId, caseId);
    live(c);
    if (input.until && input.until <= clock.now()) throw new AppError("invalid_input", "until: choose a date in the future.");
    await pauseLockedCase(tx, c, { until: input.until ?? null, reason: input.reason }, actor, clock.now());
  });
}

export async function resumeCase(db: Db, workspaceId: string, caseId: string, actor: Actor) {
  const clock = await workspaceClock(db, workspaceId);
  return db.transaction(async (tx) => {
    const c = await lockCase(tx, workspaceId, caseId);
    if (c.status !== "paused") throw new AppError("conflict", "Only a paused case can be resumed.");
    await resumeLockedCase(tx, c, actor, clock);
  });
}

export async function retryNow(db: Db, workspaceId: string, caseId: string, actor: Actor) {
  const clock = await workspaceClock(db, workspaceId);
  return db.transaction(async (tx) => {
    const c = await lockCase(tx, workspaceId, caseId);
    live(c);
    const [connection] = await tx.select().from(connections).where(eq(connections.id, c.connectionId));
    if (connection?.retryOwner !== "dunwell") throw new AppError("conflict", "The provider owns retries on this connection; Dunwell does not retry on top.");
    const now = clock.now();
    await tx.insert(dunningSteps).values({ id: newId("step"), workspaceId, caseId, kind: "retry", key: `manual:${now.getTime()}`, dueAt: now, reason: "retry now, asked by an operator" });
    await audited(tx, c, actor, "retry_requested", "An operator asked for a retry now.", {}, now);
  });
}

export async function skipStep(db: Db, workspaceId: string, stepId: string, actor: Actor) {
  const clock = await workspaceClock(db, workspaceId);
  return db.transaction(async (tx) => {
    const [step] = await tx.select().from(dunningSteps).where(and(eq(dunningSteps.workspaceId, workspaceId), eq(dunningSteps.id, stepId))).for("update");
    if (!step) throw new AppError("not_found", "No such step in this workspace.");
    if (step.status !== "pending") throw new AppError("conflict", `This step is ${step.status}; only a pending step can be skipped.`);
    const c = await lockCase(tx, workspaceId, step.caseId);
    await tx.update(dunningSteps).set({ status: "skipped", reason: "skipped by an operator", updatedAt: new Date() }).where(eq(dunningSteps.id, step.id));
    await audited(tx, c, actor, "step_skipped", `Skipped ${step.kind} "${step.key}".`, { stepId, key: step.key }, clock.now());
    await replanCase(tx, c.id, clock);
  });
}

export async function extendCase(db: Db, workspaceId: string, caseId: string, days: number, actor: Actor) {
  if (!Number.isInteger(days) || days < 1 || days > 60) throw new AppError("invalid_input", "days: extend by 1 to 60 days.");
  const clock = await workspaceClock(db, workspaceId);
  return db.transaction(async (tx) => {
    const c = await lockCase(tx, workspaceId, caseId);
    live(c);
    await tx.update(dunningCases).set({ extraDays: c.extraDays + days, updatedAt: new Date() }).where(eq(dunningCases.id, c.id));
    await audited(tx, c, actor, "extended", `Window extended by ${days} days.`, { days }, clock.now());
    await replanCase(tx, c.id, clock);
  });
}

/** Move an open case onto its policy's current version and plan again. */
export async function replanWithCurrentPolicy(db: Db, workspaceId: string, caseId: string, actor: Actor) {
  const clock = await workspaceClock(db, workspaceId);
  return db.transaction(async (tx) => {
    const c = await lockCase(tx, workspaceId, caseId);
    live(c);
    const [current] = await tx
      .select({ id: policyVersions.id, version: policyVersions.version })
      .from(policyVersions)
      .innerJoin(policies, and(eq(policies.id, policyVersions.policyId), eq(policies.currentVersion, policyVersions.version)))
      .where(eq(policies.id, tx.select({ id: policyVersions.policyId }).from(policyVersions).where(eq(policyVersions.id, c.policyVersionId))));
    if (current && current.id !== c.policyVersionId) await tx.update(dunningCases).set({ policyVersionId: current.id, updatedAt: new Date() }).where(eq(dunningCases.id, c.id));
    await audited(tx, c, actor, "replanned", `Re-planned on policy version ${current?.version ?? "?"}.`, { policyVersionId: current?.id }, clock.now());
    await replanCase(tx, c.id, clock);
  });
}

/** Write off (the provider marks the invoice uncollectible) or record a payment made outside the provider. */
export async function settleCase(db: Db, workspaceId: string, caseId: string, how: "write_off" | "paid_out_of_band", actor: Actor, note = "") {
  const clock = await workspaceClock(db, workspaceId);
  const [row] = await db
    .select({ c: dunningCases, invoice: invoices, connection: connections })
    .from(dunningCases)
    .innerJoin(invoices, eq(invoices.id, dunningCases.invoiceId))
    .innerJoin(connections, eq(connections.id, dunningCases.connectionId))
    .where(and(eq(dunningCases.workspaceId, workspaceId), eq(dunningCases.id, caseId), inArray(dunningCases.status, ["open", "paused"])));
  if (!row) throw new AppError("conflict", "Only an open or paused case of this workspace can be settled.");
  const provider = providerFor(db, row.connection, clock);
  const key = `dunwell:${how}:${caseId}`;
  if (how === "write_off") await provider.markInvoiceUncollectible({ invoiceExternalId: row.invoice.externalId, idempotencyKey: key });
  else await provider.recordOutOfBandPayment({ invoiceExternalId: row.invoice.externalId, note: note || "recorded in Dunwell", idempotencyKey: key });
  await db.transaction(async (tx) => {
    const c = await lockCase(tx, workspaceId, caseId);
    if (c.status !== "open" && c.status !== "paused") return;
    await recordAudit(tx, { workspaceId, actor, action: `case.${how}`, targetType: "case", targetId: caseId, data: { note } });
    await closeCase(tx, c, how === "write_off" ? "written_off" : "recovered", clock.now(), how === "write_off" ? "written off by an operator" : `paid outside the provider${note ? `: ${note}` : ""}`, {
      recoveredMinor: how === "paid_out_of_band" ? c.amountMinor : 0,
    });
  });
}
