import { eq } from "drizzle-orm";
import { connections, workspaces } from "@/drizzle/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import { systemClock, type Clock } from "@/lib/clock";
import type { Db, DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

/** A workspace's clock: real time plus its test-clock offset (sandbox workspaces only move it). */
export async function workspaceClock(db: DbOrTx, workspaceId: string, base: Clock = systemClock): Promise<Clock> {
  const [row] = await db.select({ offset: workspaces.clockOffsetMs }).from(workspaces).where(eq(workspaces.id, workspaceId));
  const offset = row?.offset ?? 0;
  return offset === 0 ? base : { now: () => new Date(base.now().getTime() + offset) };
}

/**
 * Move a sandbox workspace's time forward, as Stripe's test clocks do. Refused when the
 * workspace has a live provider connection: real money must not be charged early.
 */
export async function advanceClock(db: Db, workspaceId: string, days: number, actor: Actor): Promise<{ offsetMs: number; now: Date }> {
  if (!Number.isFinite(days) || days <= 0 || days > 366) throw new AppError("invalid_input", "days: give a number of days between 0 and 366.");
  const providers = await db.select({ provider: connections.provider }).from(connections).where(eq(connections.workspaceId, workspaceId));
  if (providers.some((c) => c.provider !== "sandbox")) {
    throw new AppError("forbidden", "Only sandbox workspaces can advance time: this workspace has a Stripe or Chargebee connection.");
  }
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(workspaces).where(eq(workspaces.id, workspaceId)).for("update");
    if (!row) throw new AppError("not_found", `No workspace with id ${workspaceId}.`);
    const offsetMs = row.clockOffsetMs + Math.round(days * 24 * 3600 * 1000);
    await tx.update(workspaces).set({ clockOffsetMs: offsetMs, updatedAt: new Date() }).where(eq(workspaces.id, workspaceId));
    await recordAudit(tx, { workspaceId, actor, action: "clock.advanced", targetType: "workspace", targetId: workspaceId, data: { days, offsetMs } });
    return { offsetMs, now: new Date(Date.now() + offsetMs) };
  });
}
