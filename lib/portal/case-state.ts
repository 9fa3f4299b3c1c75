import { and, eq, inArray, notLike } from "drizzle-orm";
import { dunningCases, dunningSteps, type DunningCase } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit";
import type { Clock } from "@/lib/clock";
import type { DbOrTx } from "@/lib/db/client";
import { recordCaseEvent } from "@/lib/dunning/cases";
import { replanCase } from "@/lib/dunning/replan";
import { AppError } from "@/lib/errors";

/**
 * The customer's hands on the case, in the caller's transaction and on the caller's clock
 * (lib/dunning/case-actions.ts opens its own transaction on the real clock, which neither
 * composes with the portal's writes nor follows a sandbox test clock). Same writes, same
 * audit action and timeline entry as an operator's pause and resume.
 */

const CUSTOMER = { kind: "system" } as const;

/** Lock the session's case; refuse one that no longer collects. */
export async function lockLiveCase(tx: DbOrTx, workspaceId: string, customerId: string, caseId: string): Promise<DunningCase> {
  const [row] = await tx
    .select()
    .from(dunningCases)
    .where(and(eq(dunningCases.id, caseId), eq(dunningCases.workspaceId, workspaceId), eq(dunningCases.customerId, customerId)))
    .for("update");
  if (!row) throw new AppError("not_found", "No such case.");
  if (row.status !== "open" && row.status !== "paused") throw new AppError("conflict", `This case is ${row.status}.`);
  return row;
}

export async function pauseByCustomer(tx: DbOrTx, c: DunningCase, input: { until: Date | null; reason: string }, now: Date): Promise<void> {
  await tx.update(dunningCases).set({ status: "paused", pausedUntil: input.until, pauseReason: input.reason, updatedAt: new Date() }).where(eq(dunningCases.id, c.id));
  const data = { until: input.until?.toISOString() ?? null, by: "customer" };
  await recordAudit(tx, { workspaceId: c.workspaceId, actor: CUSTOMER, action: "case.paused", targetType: "case", targetId: c.id, data, at: now });
  await recordCaseEvent(tx, c, now, "paused", `Paused by the customer${input.until ? ` until ${input.until.toISOString()}` : ""}: ${input.reason}`, data);
}

/** Back to open and re-planned from now (the planner revives steps canceled while paused). */
export async function resumeByCustomer(tx: DbOrTx, c: DunningCase, clock: Clock, why: string): Promise<void> {
  await tx.update(dunningCases).set({ status: "open", pausedUntil: null, pauseReason: null, updatedAt: new Date() }).where(eq(dunningCases.id, c.id));
  await recordAudit(tx, { workspaceId: c.workspaceId, actor: CUSTOMER, action: "case.resumed", targetType: "case", targetId: c.id, data: { why }, at: clock.now() });
  await recordCaseEvent(tx, c, clock.now(), "resumed", `Resumed: ${why}.`, { by: "portal" });
  await replanCase(tx, c.id, clock);
}

/**
 * Hold the policy's pending steps while the customer's own arrangement runs (a promise or a
 * plan): canceled now, re-created by the planner when the case resumes. Steps of the
 * arrangement itself (keys under `keep`) stay.
 */
export async function holdPlannedSteps(tx: DbOrTx, caseId: string, keepPrefix: string, reason: string): Promise<void> {
  await tx
    .update(dunningSteps)
    .set({ status: "canceled", reason, updatedAt: new Date() })
    .where(and(eq(dunningSteps.caseId, caseId), inArray(dunningSteps.status, ["pending"]), notLike(dunningSteps.key, `${keepPrefix}%`)));
}
