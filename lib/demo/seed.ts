import { eq } from "drizzle-orm";
import { memberships, workspaces, type Workspace } from "@/drizzle/schema";
import type { Actor } from "@/lib/audit";
import { ensureUser } from "@/lib/auth/operators";
import type { Db } from "@/lib/db/client";
import { addConnection } from "@/lib/billing/connections";
import { processPendingInbox } from "@/lib/billing/dispatch";
import { contextFor } from "@/lib/billing/providers";
import { deliverSandboxConnection } from "@/lib/billing/sandbox-delivery";
import { seedSandboxDemo } from "@/lib/billing/sandbox/demo";
import { getConnection } from "@/lib/billing/connections";
import { systemClock, type Clock } from "@/lib/clock";
import { createWorkspace } from "@/lib/workspaces";

export const DEMO_OPERATOR_EMAIL = "demo@dunwell.local";
export const DEMO_VIEWER_EMAIL = "viewer@dunwell.local";

export type DemoSeed = { workspace: Workspace; operatorEmail: string; created: boolean };

/**
 * The embedded demo: a sandbox workspace with an owner (and a viewer, to show roles).
 * Idempotent: a second run finds the existing demo workspace and changes nothing.
 */
export async function seedDemo(db: Db, actor: Actor = { kind: "system" }, clock: Clock = systemClock): Promise<DemoSeed> {
  const [existing] = await db.select().from(workspaces).where(eq(workspaces.isDemo, true)).limit(1);
  if (existing) return { workspace: existing, operatorEmail: DEMO_OPERATOR_EMAIL, created: false };
  const owner = await ensureUser(db, DEMO_OPERATOR_EMAIL, "Demo Operator");
  const workspace = await createWorkspace(
    db,
    { name: "Demo SaaS (sandbox)", timezone: "Europe/Berlin", defaultLocale: "en", isDemo: true },
    actor,
    { userId: owner.id },
  );
  const viewer = await ensureUser(db, DEMO_VIEWER_EMAIL, "Demo Viewer");
  await db.insert(memberships).values({ workspaceId: workspace.id, userId: viewer.id, role: "viewer" }).onConflictDoNothing();
  await seedDemoBilling(db, workspace.id, actor, clock);
  return { workspace, operatorEmail: DEMO_OPERATOR_EMAIL, created: true };
}

/**
 * A sandbox connection with customers whose renewals succeed, fail (insufficient funds,
 * expired card, generic decline), need 3-D Secure, or decline until next week — delivered
 * through the webhook path and processed, so the admin shows real records from the start.
 */
async function seedDemoBilling(db: Db, workspaceId: string, actor: Actor, clock: Clock): Promise<void> {
  const view = await addConnection(db, { provider: "sandbox", workspaceId, name: "Sandbox (demo)" }, actor);
  const connection = await getConnection(db, view.id, workspaceId);
  await seedSandboxDemo(contextFor(db, connection, clock));
  await deliverSandboxConnection(db, connection, { clock });
  await processPendingInbox(db, clock, 1000);
}
