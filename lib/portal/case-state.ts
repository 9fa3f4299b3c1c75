import { and, eq, inArray, notLike } from "drizzle-orm";
import { dunningCases, dunningSteps, type DunningCase } from "@/drizzle/schema";
import type { Clock } from "@/lib/clock";
import type { DbOrTx } from "@/lib/db/client";
import { pauseLockedCase, resumeLockedCase } from "@/lib/dunning/case-actions";
import { AppError } from "@/lib/errors";

/**
 * The customer's hands on the case, in the caller's transaction and on the caller's clock:
 * the same pause and resume as an operator's (lib/dunning/case-actions.ts), through their
 * transaction-taking core, so the writes, the audit action and the timeline entry match.
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

/** The operator's pause (lib/dunning/case-actions.ts), asked for by the customer. */
export const pauseByCustomer = (tx: DbOrTx, c: DunningCase, input: { until: Date | null; reason: string }, now: Date) => pauseLockedCase(tx, c, { ...input, by: "customer" }, CUSTOMER, now);

/** The operator's resume, when the customer's arrangement ends (a failed installment). */
export const resumeByCustomer = (tx: DbOrTx, c: DunningCase, clock: Clock, why: string) => resumeLockedCase(tx, c, CUSTOMER, clock, why);

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
