import { and, desc, eq, like } from "drizzle-orm";
import { dunningSteps, paymentAttempts, paymentMethods } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import type { PortalCase } from "./context";
import { reasonKeyOf, type ReasonKey } from "./declines";

/**
 * What the customer's action led to, read from the database after the outcome came in
 * (nothing is carried in the URL but which action it was): paid, declined with a reason,
 * or a saved card waiting for the next attempt.
 */
export type ActionResult = { kind: "paid"; amountMinor: number; currency: string } | { kind: "declined"; reason: ReasonKey } | { kind: "saved" } | { kind: "pending" };

export async function resultAfterCardUpdate(db: DbOrTx, p: PortalCase): Promise<ActionResult> {
  if (p.invoice.status === "paid" || p.c.status === "recovered") return { kind: "paid", amountMinor: p.c.amountMinor, currency: p.c.currency };
  const [card] = await db
    .select({ externalId: paymentMethods.externalId })
    .from(paymentMethods)
    .where(and(eq(paymentMethods.customerId, p.customer.id), eq(paymentMethods.isDefault, true), eq(paymentMethods.status, "active")));
  if (!card) return { kind: "saved" };
  // The immediate retry on the new card (the listener's "card-update:<method>:<expiry>" step).
  const [retry] = await db
    .select()
    .from(dunningSteps)
    .where(and(eq(dunningSteps.caseId, p.c.id), like(dunningSteps.key, "card-update:%"), eq(dunningSteps.paymentMethodExternalId, card.externalId)))
    .orderBy(desc(dunningSteps.createdAt), desc(dunningSteps.key))
    .limit(1);
  const attemptId = typeof retry?.outcome?.attemptId === "string" ? retry.outcome.attemptId : null;
  if (retry?.status !== "done" || retry.outcome?.status === "succeeded" || !attemptId) return { kind: "saved" };
  const [attempt] = await db
    .select()
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.workspaceId, p.c.workspaceId), eq(paymentAttempts.connectionId, p.connection.id), eq(paymentAttempts.externalId, attemptId)));
  return attempt ? { kind: "declined", reason: reasonKeyOf(attempt, p.connection.provider) } : { kind: "saved" };
}

export async function resultAfterPayment(db: DbOrTx, p: PortalCase): Promise<ActionResult> {
  if (p.invoice.status === "paid" || p.c.status === "recovered") return { kind: "paid", amountMinor: p.c.amountMinor, currency: p.c.currency };
  const attempt = await latestAttempt(db, p);
  return attempt && attempt.status === "failed" ? { kind: "declined", reason: reasonKeyOf(attempt, p.connection.provider) } : { kind: "pending" };
}

async function latestAttempt(db: DbOrTx, p: PortalCase) {
  const [attempt] = await db
    .select()
    .from(paymentAttempts)
    .where(and(eq(paymentAttempts.invoiceId, p.invoice.id), eq(paymentAttempts.workspaceId, p.c.workspaceId)))
    .orderBy(desc(paymentAttempts.attemptedAt), desc(paymentAttempts.createdAt))
    .limit(1);
  return attempt ?? null;
}
