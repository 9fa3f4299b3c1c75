import { and, eq, inArray } from "drizzle-orm";
import { caseEvents, customers, dunningCases, dunningSteps, invoices, subscriptions, type CaseStatus, type DunningCase } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { classifyAttempt } from "./classify";
import { chooseCasePolicy } from "./choose-policy";
import { factsOf } from "./facts";
import type { DeclineCategory } from "./types";

/** Append to a case's timeline. */
export async function recordCaseEvent(tx: DbOrTx, c: Pick<DunningCase, "id" | "workspaceId">, at: Date, type: string, message: string, data: Record<string, unknown> = {}) {
  await tx.insert(caseEvents).values({ id: newId("cev"), workspaceId: c.workspaceId, caseId: c.id, at, type, message, data });
}

export async function liveCaseOfInvoice(tx: DbOrTx, workspaceId: string, invoiceId: string): Promise<DunningCase | null> {
  const [row] = await tx
    .select()
    .from(dunningCases)
    .where(and(eq(dunningCases.workspaceId, workspaceId), eq(dunningCases.invoiceId, invoiceId), inArray(dunningCases.status, ["open", "paused"])))
    .for("update");
  return row ?? null;
}

/**
 * Open the case of a failed invoice (or return the live one). The policy is chosen by the
 * workspace's segments; the case keeps that policy version.
 */
export async function openCase(tx: DbOrTx, input: { workspaceId: string; connectionId: string; invoiceId: string; category: DeclineCategory; at: Date }): Promise<{ row: DunningCase; opened: boolean }> {
  const existing = await liveCaseOfInvoice(tx, input.workspaceId, input.invoiceId);
  if (existing) return { row: existing, opened: false };
  const [invoice] = await tx
    .select({ invoice: invoices, customer: customers, subscription: subscriptions })
    .from(invoices)
    .innerJoin(customers, eq(customers.id, invoices.customerId))
    .leftJoin(subscriptions, eq(subscriptions.id, invoices.subscriptionId))
    .where(eq(invoices.id, input.invoiceId));
  const choice = await chooseCasePolicy(tx, input.workspaceId, { ...invoice!, category: input.category, now: input.at });
  const [row] = await tx
    .insert(dunningCases)
    .values({
      id: newId("case"),
      workspaceId: input.workspaceId,
      connectionId: input.connectionId,
      customerId: invoice!.customer.id,
      invoiceId: input.invoiceId,
      policyVersionId: choice.versionId,
      segment: choice.segment,
      declineCategory: input.category,
      amountMinor: invoice!.invoice.amountRemaining,
      currency: invoice!.invoice.currency,
      openedAt: input.at,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return { row: (await liveCaseOfInvoice(tx, input.workspaceId, input.invoiceId))!, opened: false };
  await recordCaseEvent(tx, row, input.at, "opened", `Case opened: policy "${choice.policyKey}" v${choice.version}${choice.segment ? ` (segment ${choice.segment})` : ""}.`, { policyKey: choice.policyKey });
  return { row, opened: true };
}

/** Close a case and cancel every pending step, in the caller's transaction. */
export async function closeCase(tx: DbOrTx, c: DunningCase, status: Exclude<CaseStatus, "open" | "paused">, at: Date, reason: string, extra: { recoveredMinor?: number } = {}) {
  await tx
    .update(dunningCases)
    .set({ status, closedAt: at, closeReason: reason, recoveredMinor: extra.recoveredMinor ?? c.recoveredMinor, updatedAt: new Date() })
    .where(eq(dunningCases.id, c.id));
  await tx
    .update(dunningSteps)
    .set({ status: "canceled", reason: `case ${status}: ${reason}`, updatedAt: new Date() })
    .where(and(eq(dunningSteps.caseId, c.id), inArray(dunningSteps.status, ["pending", "running"])));
  await recordCaseEvent(tx, c, at, status, reason);
}

/** Classify a stored attempt (with its connection's provider). */
export function categoryOf(attempt: Parameters<typeof factsOf>[0], provider: "stripe" | "chargebee" | "sandbox"): DeclineCategory {
  return classifyAttempt(factsOf(attempt, provider)).category;
}
