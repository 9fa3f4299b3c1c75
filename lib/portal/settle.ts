import { sql } from "drizzle-orm";
import { dunningSteps, type Connection, type DunningStep } from "@/drizzle/schema";
import { processPendingInbox } from "@/lib/billing/dispatch";
import { deliverSandboxConnection } from "@/lib/billing/sandbox-delivery";
import type { Clock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { workspaceClock } from "@/lib/dunning/clock";
import { executeStep, LEASE_MS } from "@/lib/dunning/engine";
import { logger } from "@/lib/log";

/**
 * After the customer acted in the sandbox, bring the outcome in through the normal path at
 * once instead of waiting for the ticker: the sandbox's webhooks are delivered and processed
 * (a payment closes the case, a new card schedules its immediate retry), the customer's due
 * steps run (that retry), and the events they caused are delivered and processed too.
 * Stripe and Chargebee send their webhooks themselves; only the sandbox needs the push.
 */
export async function settleSandbox(db: Db, input: { connection: Connection; workspaceId: string; customerId: string; base: Clock }): Promise<void> {
  if (input.connection.provider !== "sandbox") return;
  const sync = async () => {
    await deliverSandboxConnection(db, input.connection, { clock: input.base });
    await processPendingInbox(db, input.base);
  };
  await sync();
  const ran = await runCustomerDueSteps(db, input.workspaceId, input.customerId, input.base);
  if (ran > 0) await sync();
}

/**
 * Claim (as the engine does: FOR UPDATE SKIP LOCKED, with a lease) and run the due steps of
 * one customer's cases. The ticker may hold some of them; those it keeps, it runs.
 */
export async function runCustomerDueSteps(db: Db, workspaceId: string, customerId: string, base: Clock): Promise<number> {
  const now = (await workspaceClock(db, workspaceId, base)).now();
  const leaseUntil = new Date(base.now().getTime() + LEASE_MS);
  const claimed = await db.execute<{ id: string }>(sql`
    with due as (
      select s.id from dunning_steps s
      join dunning_cases c on c.id = s.case_id
      where c.workspace_id = ${workspaceId} and c.customer_id = ${customerId}
        and s.status = 'pending' and s.due_at <= ${now.toISOString()}::timestamptz
      order by s.due_at, s.id
      limit 20
      for update of s skip locked
    )
    update dunning_steps
       set status = 'running', lease_until = ${leaseUntil.toISOString()}::timestamptz, runs = dunning_steps.runs + 1,
           started_at = ${base.now().toISOString()}::timestamptz, updated_at = ${base.now().toISOString()}::timestamptz
      from due where dunning_steps.id = due.id
    returning dunning_steps.id`);
  if (claimed.length === 0) return 0;
  const steps: DunningStep[] = await db
    .select()
    .from(dunningSteps)
    .where(sql`${dunningSteps.id} in ${claimed.map((r) => r.id)}`)
    .orderBy(dunningSteps.dueAt, dunningSteps.id);
  for (const step of steps) {
    try {
      await executeStep(db, step, { clock: base });
    } catch (error) {
      // The lease lets the engine pick it up again; the customer still sees the page.
      logger.warn(`portal run of step ${step.id} failed`, { error: String(error) });
    }
  }
  return steps.length;
}
