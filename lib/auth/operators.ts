import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { memberships, users } from "@/drizzle/schema";
import { recordAudit, type Actor } from "@/lib/audit";
import type { Db, DbOrTx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { parseInput } from "@/lib/validation";
import { getWorkspace } from "@/lib/workspaces";
import { normalizeEmail } from "./magic-link";
import { roles, type Role } from "./roles";

export const inviteInput = z.object({
  workspaceId: z.string().min(1),
  email: z.email("Enter an email address such as ana@example.com."),
  role: z.enum(roles as [Role, ...Role[]], { message: "Role must be owner, admin or viewer." }),
  name: z.string().trim().max(120).optional(),
});

/** The operator's user row, created on first invitation (Auth.js links sign-ins to it by email). */
export async function ensureUser(db: DbOrTx, email: string, name?: string): Promise<{ id: string; email: string }> {
  const address = normalizeEmail(email);
  const [row] = await db
    .insert(users)
    .values({ id: newId("usr"), email: address, name: name ?? null })
    .onConflictDoUpdate({ target: users.email, set: { email: sql`excluded.email` } })
    .returning({ id: users.id, email: users.email });
  return { id: row!.id, email: row!.email! };
}

/** Add an operator to a workspace with a role (or change their role), audited. */
export async function inviteOperator(db: Db, input: z.input<typeof inviteInput>, actor: Actor) {
  const values = parseInput(inviteInput, input);
  await getWorkspace(db, values.workspaceId);
  return db.transaction(async (tx) => {
    const user = await ensureUser(tx, values.email, values.name);
    await tx
      .insert(memberships)
      .values({ workspaceId: values.workspaceId, userId: user.id, role: values.role })
      .onConflictDoUpdate({
        target: [memberships.workspaceId, memberships.userId],
        set: { role: values.role, updatedAt: new Date() },
      });
    await recordAudit(tx, {
      workspaceId: values.workspaceId,
      actor,
      action: "operator.invited",
      targetType: "user",
      targetId: user.id,
      data: { email: user.email, role: values.role },
    });
    return { userId: user.id, email: user.email, role: values.role, workspaceId: values.workspaceId };
  });
}

export async function findUserByEmail(db: Db, email: string) {
  const [row] = await db.select().from(users).where(eq(users.email, normalizeEmail(email)));
  return row ?? null;
}
