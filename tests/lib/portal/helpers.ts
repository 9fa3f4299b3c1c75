import { and, eq } from "drizzle-orm";
import { connections, dunningCases, invoices } from "@/drizzle/schema";
import type { Clock } from "@/lib/clock";
import { workspaceClock } from "@/lib/dunning/clock";
import { claimDueSteps, executeStep } from "@/lib/dunning/engine";
import { loadPortalCase, type PortalCase } from "@/lib/portal/context";
import { PORTAL_SESSION_TTL_MS, type PortalSession } from "@/lib/portal/sessions";
import { isPortalStep, runPortalStep } from "@/lib/portal/steps";
import { tokenVersionOf } from "@/lib/portal/links";
import { makeSimulation, type Sim } from "../../helpers/dunning";

export { makeSimulation, type Sim };

/** The session the link exchange would give for a case (tests skip the cookie round trip). */
export async function sessionFor(sim: Sim, caseId: string): Promise<PortalSession> {
  const [c] = await sim.db.select().from(dunningCases).where(eq(dunningCases.id, caseId));
  return { workspaceId: c!.workspaceId, customerId: c!.customerId, caseId, version: await tokenVersionOf(sim.db, caseId), expiresAt: new Date(sim.clock.now().getTime() + PORTAL_SESSION_TTL_MS) };
}

export async function portalCaseOf(sim: Sim, caseId: string): Promise<PortalCase> {
  const p = await loadPortalCase(sim.db, await sessionFor(sim, caseId), sim.clock);
  if (!p) throw new Error(`no portal case for ${caseId}`);
  return p;
}

/**
 * One engine pass with the wiring docs/portal.md asks for in lib/dunning/engine.ts
 * (`if (isPortalStep(step)) return runPortalStep(db, step, row, clock)` before the pause
 * check): claim due steps, route the portal's own to runPortalStep, the rest to executeStep.
 */
export async function enginePass(sim: Sim): Promise<void> {
  const now = sim.clock.now();
  const base: Clock = { now: () => now };
  // One claim per pass: a step deferred to a time still due waits for the next hour, as in runDueSteps.
  for (const step of await claimDueSteps(sim.db, { now, limit: 200 })) {
    if (!isPortalStep(step)) {
      await executeStep(sim.db, step, { clock: base });
      continue;
    }
    const [row] = await sim.db
      .select({ c: dunningCases, invoice: invoices, connection: connections })
      .from(dunningCases)
      .innerJoin(invoices, eq(invoices.id, dunningCases.invoiceId))
      .innerJoin(connections, eq(connections.id, dunningCases.connectionId))
      .where(and(eq(dunningCases.id, step.caseId), eq(dunningCases.workspaceId, step.workspaceId)));
    await runPortalStep(sim.db, step, row!, await workspaceClock(sim.db, step.workspaceId, base));
  }
}

/** Walk time forward hour by hour: engine pass (with the portal wiring), then webhooks in. */
export async function runHours(sim: Sim, hours: number, stopWhen?: () => Promise<boolean>): Promise<void> {
  for (let h = 0; h < hours; h++) {
    sim.clock.advance(3600_000);
    await enginePass(sim);
    await sim.sync();
    if (stopWhen && (await stopWhen())) return;
  }
}
