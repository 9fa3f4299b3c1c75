import { and, asc, eq, inArray, notInArray, sql } from "drizzle-orm";
import { connections, customers, dunningCases, dunningSteps, invoices, paymentAttempts, paymentMethods, retryStats, workspaces, type DunningCase } from "@/drizzle/schema";
import type { Clock } from "@/lib/clock";
import type { DbOrTx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { classifyAttempt } from "./classify";
import { cardHistory, factsOf } from "./facts";
import { checkNetworkRetryAllowed } from "./network-rules";
import { planCase, type PlannedStep } from "./planner";
import { getPolicyVersion } from "./policies";
import { statsFromRows, type SlotStatsRow } from "./priors";
import type { DeclineCategory } from "./types";

/**
 * Write a case's next steps from its policy version and history (the planner is pure; this
 * gathers its input and stores its output). Steps are keyed per case, so re-planning moves
 * pending steps, adds new ones and cancels those no longer planned, and never touches done ones.
 */
export async function replanCase(tx: DbOrTx, caseId: string, clock: Clock): Promise<PlannedStep[]> {
  const now = clock.now();
  const [row] = await tx
    .select({ c: dunningCases, invoice: invoices, customer: customers, connection: connections, workspace: workspaces })
    .from(dunningCases)
    .innerJoin(invoices, eq(invoices.id, dunningCases.invoiceId))
    .innerJoin(customers, eq(customers.id, dunningCases.customerId))
    .innerJoin(connections, eq(connections.id, dunningCases.connectionId))
    .innerJoin(workspaces, eq(workspaces.id, dunningCases.workspaceId))
    .where(eq(dunningCases.id, caseId));
  if (!row || row.c.status !== "open") return [];
  const stored = await getPolicyVersion(tx, row.c.workspaceId, row.c.policyVersionId);
  // An operator's "extend" lengthens this case's window only.
  const policy = row.c.extraDays ? { ...stored.policy, windowDays: stored.policy.windowDays + row.c.extraDays } : stored.policy;
  const attempts = await tx.select().from(paymentAttempts).where(eq(paymentAttempts.invoiceId, row.invoice.id)).orderBy(asc(paymentAttempts.attemptedAt));
  const methods = await tx.select().from(paymentMethods).where(and(eq(paymentMethods.customerId, row.customer.id), eq(paymentMethods.status, "active")));
  const done = await tx
    .select({ kind: dunningSteps.kind, key: dunningSteps.key })
    .from(dunningSteps)
    .where(and(eq(dunningSteps.caseId, caseId), notInArray(dunningSteps.status, ["pending", "running", "canceled"])));
  const statsRows = await tx.select().from(retryStats).where(eq(retryStats.workspaceId, row.c.workspaceId));
  const fingerprints = [...new Set([...methods.map((m) => m.fingerprint), ...attempts.map((a) => a.cardFingerprint)].filter((f): f is string => Boolean(f)))];
  const history = await cardHistory(tx, row.c.workspaceId, fingerprints, now);
  const provider = row.connection.provider;
  const lastFailure = [...attempts].reverse().find((a) => a.status !== "succeeded") ?? null;
  const expired = (m: (typeof methods)[number]) => m.expYear !== null && m.expMonth !== null && new Date(Date.UTC(m.expYear, m.expMonth, 1)) <= now;

  const planned = planCase({
    policy,
    caseOpenedAt: row.c.openedAt,
    now,
    customer: { timezone: row.customer.timezone, defaultTimezone: row.workspace.timezone },
    history: {
      attempts: attempts.map((a) => ({
        at: a.attemptedAt,
        status: a.status,
        category: a.status === "succeeded" ? null : classifyAttempt(factsOf(a, provider)).category,
        paymentMethodId: a.paymentMethodExternalId,
      })),
      stepsDone: done,
    },
    // Retries are timed by the latest failure, not the one that opened the case.
    lastCategory: lastFailure ? classifyAttempt(factsOf(lastFailure, provider)).category : ((row.c.declineCategory as DeclineCategory | null) ?? "soft"),
    paymentMethods: methods.map((m) => ({
      id: m.externalId,
      isDefault: m.isDefault,
      usable: !expired(m),
      // A card Dunwell first saw after it recorded the latest failure is a new card (what card_update_needed
      // waits for). Both sides are our own insert times; the planner reads it on the failure's time line.
      addedAt: lastFailure && m.createdAt > lastFailure.createdAt ? new Date(lastFailure.attemptedAt.getTime() + 1) : null,
    })),
    retryOwner: row.connection.retryOwner,
    providerNextAttemptAt: row.invoice.nextPaymentAttemptAt,
    stats: statsFromRows(statsRows as SlotStatsRow[]),
    networkGuard: (attemptTime, paymentMethodId) => {
      const method = methods.find((m) => m.externalId === paymentMethodId);
      const verdict = checkNetworkRetryAllowed({
        card: { brand: method?.brand ?? null, fingerprint: method?.fingerprint ?? null },
        lastFailure: lastFailure ? factsOf(lastFailure, provider) : null,
        history: method?.fingerprint ? history.filter((h) => h.cardFingerprint === method.fingerprint) : history,
        now: attemptTime,
      });
      return verdict.allowed ? { allowed: true, retryAfter: null } : { allowed: false, retryAfter: verdict.retryAfter, reason: verdict.reason };
    },
  });
  await storePlan(tx, row.c, planned);
  return planned;
}

async function storePlan(tx: DbOrTx, c: DunningCase, planned: PlannedStep[]) {
  const keys = planned.map((p) => p.key);
  // Pending steps no longer in the plan are canceled; done/failed/skipped stay as history.
  await tx
    .update(dunningSteps)
    .set({ status: "canceled", reason: "no longer planned", updatedAt: new Date() })
    .where(and(eq(dunningSteps.caseId, c.id), eq(dunningSteps.status, "pending"), keys.length ? notInArray(dunningSteps.key, keys) : undefined));
  if (planned.length === 0) return;
  // One statement for the whole plan: new keys are inserted, waiting ones move.
  await tx
    .insert(dunningSteps)
    .values(
      planned.map((step) => ({
        id: newId("step"),
        workspaceId: c.workspaceId,
        caseId: c.id,
        key: step.key,
        status: "pending" as const,
        kind: step.kind,
        dueAt: step.dueAt,
        paymentMethodExternalId: step.paymentMethodId ?? null,
        template: step.template ?? null,
        channel: step.channel ?? null,
        tone: step.tone ?? null,
        finalAction: step.finalAction ?? null,
        reason: step.reason,
      })),
    )
    .onConflictDoUpdate({
      target: [dunningSteps.caseId, dunningSteps.key],
      set: {
        status: "pending",
        kind: sql`excluded.kind`,
        dueAt: sql`excluded.due_at`,
        paymentMethodExternalId: sql`excluded.payment_method_external_id`,
        template: sql`excluded.template`,
        channel: sql`excluded.channel`,
        tone: sql`excluded.tone`,
        finalAction: sql`excluded.final_action`,
        reason: sql`excluded.reason`,
        updatedAt: new Date(),
      },
      // Only a step still waiting (or canceled by an earlier plan) may move; history is never rewritten.
      setWhere: inArray(dunningSteps.status, ["pending", "canceled"]),
    });
}
