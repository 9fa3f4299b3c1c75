import "server-only";
import { cookies } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import type { Workspace } from "@/drizzle/schema";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { listMembershipsOfUser, type WorkspaceMembership } from "@/lib/workspaces";
import { auth } from "./next-auth";
import { hasRole, type Role } from "./roles";

export const WORKSPACE_COOKIE = "dunwell_workspace";

export type OperatorContext = {
  user: { id: string; email: string; name: string | null };
  workspace: Workspace;
  role: Role;
  memberships: WorkspaceMembership[];
};

/** The signed-in operator and the workspace they are working in, or null. */
export async function getOperatorContext(): Promise<OperatorContext | null> {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId || !session.user?.email) return null;
  const db = await getDb();
  const memberships = await listMembershipsOfUser(db, userId);
  if (memberships.length === 0) return null;
  const chosen = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  const current = memberships.find((m) => m.workspace.id === chosen) ?? memberships[0]!;
  return {
    user: { id: userId, email: session.user.email, name: session.user.name ?? null },
    workspace: current.workspace,
    role: current.role,
    memberships,
  };
}

/**
 * For admin layouts and pages: signed out → sign-in page; a role below `minimum` → 403.
 * The proxy's redirect is only a convenience; this is the check that counts.
 */
export async function requireOperator(minimum: Role = "viewer"): Promise<OperatorContext> {
  const context = await getOperatorContext();
  if (!context) redirect("/signin");
  if (!hasRole(context.role, minimum)) forbidden();
  return context;
}

/** For server actions: the same checks, as typed errors the action wrapper reports. */
export async function authorizeAction(minimum: Role): Promise<OperatorContext> {
  const context = await getOperatorContext();
  if (!context) throw new AppError("unauthenticated", "Your session has ended. Sign in again.");
  if (!hasRole(context.role, minimum)) {
    throw new AppError("forbidden", `This needs the ${minimum} role; you are ${context.role === "admin" ? "an" : "a"} ${context.role} in ${context.workspace.name}.`);
  }
  return context;
}
