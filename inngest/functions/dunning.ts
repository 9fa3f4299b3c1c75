import { cron, type Inngest } from "inngest";
import { eq, inArray } from "drizzle-orm";
import { dunningCases, dunningSteps } from "@/drizzle/schema";
import { getDb } from "@/lib/db/client";
import { claimDueSteps, executeStep } from "@/lib/dunning/engine";
import { stepDue } from "../client";

/** Every minute: claim due steps (with a lease) and fan out one event per step, event id = step id. */
export function claimDueStepsFunction(inngest: Inngest) {
  return inngest.createFunction({ id: "dunning-claim-due-steps", triggers: [cron("* * * * *")], concurrency: { limit: 1 } }, async ({ step }) => {
    const claimed = await step.run("claim", async () => {
      const db = await getDb();
      const steps = await claimDueSteps(db, { limit: 500 });
      if (steps.length === 0) return [];
      const cases = await db.select({ id: dunningCases.id, connectionId: dunningCases.connectionId }).from(dunningCases).where(inArray(dunningCases.id, [...new Set(steps.map((s) => s.caseId))]));
      const connectionOf = new Map(cases.map((c) => [c.id, c.connectionId]));
      return steps.map((s) => ({ stepId: s.id, workspaceId: s.workspaceId, caseId: s.caseId, connectionId: connectionOf.get(s.caseId) ?? "" }));
    });
    if (claimed.length > 0) await step.sendEvent("fan-out", claimed.map((data) => stepDue.create(data, { id: data.stepId })));
    return { claimed: claimed.length };
  });
}

/** Runs one claimed step. Concurrency per workspace; a throttle per connection protects the provider's rate limit. */
export function runStepFunction(inngest: Inngest) {
  return inngest.createFunction(
    {
      id: "dunning-run-step",
      triggers: [stepDue],
      concurrency: { limit: 5, key: "event.data.workspaceId" },
      throttle: { limit: 20, period: "1s", key: "event.data.connectionId" },
      retries: 3,
    },
    async ({ event, step }) => {
      return step.run("execute", async () => {
        const db = await getDb();
        const [row] = await db.select().from(dunningSteps).where(eq(dunningSteps.id, event.data.stepId));
        // Only a step this claim still holds runs; a finished or re-claimed one is left alone.
        if (!row || row.status !== "running") return { status: "skipped", detail: "not claimed" };
        return executeStep(db, row);
      });
    },
  );
}
