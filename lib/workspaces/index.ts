import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { memberships, users, workspaces, type Role, type Workspace } from "@/drizzle/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import type { Db, DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { parseInput } from "@/lib/validation";

export const workspaceNameSchema = z
  .string()
  .trim()
  .min(1, "Give the workspace a name.")
  .max(80, "Keep the name under 80 characters.");

const timezoneSchema = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, "Use an IANA time zone such as Europe/Berlin.");

export const createWorkspaceInput = z.object({
  name: workspaceNameSchema,
  timezone: timezoneSchema.default("UTC"),
  defaultLocale: z.enum(["en", "de", "fr", "es"]).default("en"),
  isDemo: z.boolean().default(false),
});

export async function createWorkspace(
  db: Db,
  input: z.input<typeof createWorkspaceInput>,
  actor: Actor,
  owner?: { userId: string },
): Promise<Workspace> {
  const values = parseInput(createWorkspaceInput, input);
  return db.transaction(async (tx) => {
    const [workspace] = await tx
      .insert(workspaces)
      .values({ id: newId("ws"), ...values })
      .returning();
    if (owner) await tx.insert(memberships).values({ workspaceId: workspace!.id, userId: owner.userId, role: "owner" });
    await recordAudit(tx, {
      workspaceId: workspace!.id,
      actor,
      action: "workspace.created",
      targetType: "workspace",
      targetId: workspace!.id,
      data: { name: values.name },
    });
    return workspace!;
  });
}

export async function renameWorkspace(db: Db, workspaceId: string, name: string, actor: Actor): Promise<Workspace> {
  const newName = parseInput(workspaceNameSchema, name);
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(workspaces).where(eq(workspaces.id, workspaceId)).for("update");
    if (!before) throw new AppError("not_found", "That workspace does not exist.");
    const [after] = await tx
      .update(workspaces)
      .set({ name: newName, updatedAt: new Date() })
      .where(eq(workspaces.id, workspaceId))
      .returning();
    await recordAudit(tx, {
      workspaceId,
      actor,
      action: "workspace.renamed",
      targetType: "workspace",
      targetId: workspaceId,
      data: { from: before.name, to: newName },
    });
    return after!;
  });
}

export async function listWorkspaces(db: DbOrTx): Promise<Workspace[]> {
  return db.select().from(workspaces).orderBy(asc(workspaces.createdAt), asc(workspaces.id));
}

export async function getWorkspace(db: DbOrTx, workspaceId: string): Promise<Workspace> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId));
  if (!row) throw new AppError("not_found", `No workspace with id ${workspaceId}.`);
  return row;
}

export type WorkspaceMembership = { workspace: Workspace; role: Role };

/** The workspaces an operator belongs to, with the role in each. */
export async function listMembershipsOfUser(db: DbOrTx, userId: string): Promise<WorkspaceMembership[]> {
  const rows = await db
    .select({ workspace: workspaces, role: memberships.role })
    .from(memberships)
    .innerJoin(workspaces, eq(workspaces.id, memberships.workspaceId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(workspaces.name));
  return rows;
}

export async function listMembers(db: DbOrTx, workspaceId: string) {
  return db
    .select({ userId: users.id, email: users.email, name: users.name, role: memberships.role, since: memberships.createdAt })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.workspaceId, workspaceId))
    .orderBy(asc(users.email));
}

export async function getMembership(db: DbOrTx, workspaceId: string, userId: string): Promise<Role | null> {
  const [row] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.workspaceId, workspaceId), eq(memberships.userId, userId)));
  return row?.role ?? null;
}
