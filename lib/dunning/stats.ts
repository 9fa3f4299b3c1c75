import { eq, sql } from "drizzle-orm";
import { customers, retryStats, workspaces, type Connection, type DunningCase, type Invoice } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { bucketOf, localParts, resolveTimeZone } from "./slots";

/**
 * Learn from this workspace's own retries: one row per (decline category × day-of-month
 * bucket × weekday × local hour), counting attempts and successes. The planner blends these
 * with its priors.
 */
export async function recordRetryOutcome(tx: DbOrTx, ctx: { c: DunningCase; invoice: Invoice; connection: Connection }, at: Date, succeeded: boolean) {
  const [row] = await tx
    .select({ tz: customers.timezone, fallback: workspaces.timezone })
    .from(customers)
    .innerJoin(workspaces, eq(workspaces.id, customers.workspaceId))
    .where(eq(customers.id, ctx.c.customerId));
  const timeZone = resolveTimeZone(row?.tz ?? null, row?.fallback ?? "UTC");
  const local = localParts(at, timeZone);
  await tx
    .insert(retryStats)
    .values({
      workspaceId: ctx.c.workspaceId,
      category: ctx.c.declineCategory ?? "soft",
      bucket: bucketOf(at, timeZone),
      weekday: local.weekday,
      hour: local.hour,
      attempts: 1,
      successes: succeeded ? 1 : 0,
    })
    .onConflictDoUpdate({
      target: [retryStats.workspaceId, retryStats.category, retryStats.bucket, retryStats.weekday, retryStats.hour],
      set: { attempts: sql`${retryStats.attempts} + 1`, successes: sql`${retryStats.successes} + ${succeeded ? 1 : 0}` },
    });
}
