import { eq } from "drizzle-orm";
import { memberships, workspaces, type Workspace } from "@/drizzle/schema";
import type { Actor } from "@/lib/audit";
import { ensureUser } from "@/lib/auth/operators";
import type { Db } from "@/lib/db/client";
import { createWorkspace } from "@/lib/workspaces";

export const DEMO_OPERATOR_EMAIL = "demo@dunwell.local";
export const DEMO_VIEWER_EMAIL = "viewer@dunwell.local";

export type DemoSeed = { workspace: Workspace; operatorEmail: string; created: boolean };

/**
 * The embedded demo: a sandbox workspace with an owner (and a viewer, to show roles).
 * Idempotent: a second run finds the existing demo workspace and changes nothing.
 */
export async function seedDemo(db: Db, actor: Actor = { kind: "system" }): Promise<DemoSeed> {
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
  return { workspace, operatorEmail: DEMO_OPERATOR_EMAIL, created: true };
}
