import { and, count, desc, eq } from "drizzle-orm";
import { customers, dunningCases, portalRequests, type HelpTopic } from "@/drizzle/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import type { Db, DbOrTx } from "@/lib/db/client";
import { recordCaseEvent } from "@/lib/dunning/cases";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { holdPlannedSteps, lockLiveCase, pauseByCustomer } from "./case-state";
import type { PortalCase } from "./context";
import { INSTALLMENT_PAUSE_REASON } from "./installment-plans";
import { notifyPortal } from "./notify";

/**
 * "Get help": the customer's question, dispute or "I already cancelled" pauses the case
 * (no retry or reminder while an operator looks) and waits in the admin as an open help
 * request; the operator answers, resolves it and resumes or settles the case. A case on an
 * installment plan keeps its plan: the request is recorded, the parts still run.
 */

export const helpTopics = ["question", "dispute", "already_canceled"] as const satisfies readonly HelpTopic[];
const topicWords: Record<HelpTopic, string> = { question: "a question", dispute: "disputes the charge", already_canceled: "says they already cancelled" };
export const HELP_PAUSE_REASON = "help requested";

export async function requestHelp(db: Db, p: PortalCase, input: { topic: HelpTopic; message: string | null }): Promise<{ requestId: string }> {
  const message = input.message?.trim().slice(0, 2000) || null;
  if (input.topic === "question" && !message) throw new AppError("invalid_input", "message: tell us your question.");
  const now = p.clock.now();
  const requestId = newId("preq");
  await db.transaction(async (tx) => {
    const c = await lockLiveCase(tx, p.c.workspaceId, p.customer.id, p.c.id);
    await tx.insert(portalRequests).values({ id: requestId, workspaceId: c.workspaceId, caseId: c.id, customerId: p.customer.id, kind: "help", topic: input.topic, message, createdAt: now });
    if (c.pauseReason !== INSTALLMENT_PAUSE_REASON) {
      // An open promise ends here: the operator's answer decides what happens next.
      await tx
        .update(portalRequests)
        .set({ status: "done", resolvedAt: now, data: { endedBy: "help request" } })
        .where(and(eq(portalRequests.caseId, c.id), eq(portalRequests.kind, "promise"), eq(portalRequests.status, "open")));
      await holdPlannedSteps(tx, c.id, "installment:", "held: the customer asked for help");
      await pauseByCustomer(tx, c, { until: null, reason: `${HELP_PAUSE_REASON}: ${input.topic}` }, now);
    }
    await recordCaseEvent(tx, c, now, "help_requested", `The customer ${topicWords[input.topic]}${message ? `: “${message}”` : "."}`, { requestId, topic: input.topic });
  });
  await notifyPortal(db, { kind: "help_requested", workspaceId: p.c.workspaceId, caseId: p.c.id, customerId: p.customer.id, requestId, topic: input.topic, message, at: now });
  return { requestId };
}

/** The admin's badge and list: open help requests of a workspace, newest first. */
export async function listOpenHelpRequests(db: DbOrTx, workspaceId: string, limit = 50) {
  const where = and(eq(portalRequests.workspaceId, workspaceId), eq(portalRequests.kind, "help"), eq(portalRequests.status, "open"));
  const [[total], requests] = await Promise.all([
    db.select({ n: count() }).from(portalRequests).where(where),
    db
      .select({
        id: portalRequests.id,
        caseId: portalRequests.caseId,
        topic: portalRequests.topic,
        message: portalRequests.message,
        createdAt: portalRequests.createdAt,
        customerEmail: customers.email,
        customerName: customers.name,
        caseStatus: dunningCases.status,
      })
      .from(portalRequests)
      .innerJoin(dunningCases, eq(dunningCases.id, portalRequests.caseId))
      .leftJoin(customers, eq(customers.id, portalRequests.customerId))
      .where(where)
      .orderBy(desc(portalRequests.createdAt))
      .limit(limit),
  ]);
  return { count: total?.n ?? 0, requests };
}

/** The operator answered: the request leaves the badge (resuming the case is a separate action). */
export async function resolveHelpRequest(db: Db, workspaceId: string, requestId: string, actor: Actor, now: Date = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(portalRequests)
      .set({ status: "done", resolvedAt: now })
      .where(and(eq(portalRequests.id, requestId), eq(portalRequests.workspaceId, workspaceId), eq(portalRequests.kind, "help"), eq(portalRequests.status, "open")))
      .returning();
    if (!row) throw new AppError("not_found", "No open help request with this id in this workspace.");
    await recordAudit(tx, { workspaceId, actor, action: "portal.help_resolved", targetType: "case", targetId: row.caseId, data: { requestId }, at: now });
    await recordCaseEvent(tx, { id: row.caseId, workspaceId }, now, "help_resolved", "An operator resolved the customer's help request.", { requestId });
  });
}
