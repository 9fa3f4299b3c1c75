"use server";

import { cookies } from "next/headers";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { operatorAction } from "@/lib/actions";
import { authorizeAction, WORKSPACE_COOKIE } from "@/lib/auth/guard";
import { signOut } from "@/lib/auth/next-auth";
import { inviteInput, inviteOperator } from "@/lib/auth/operators";
import { getDb } from "@/lib/db/client";
import { renameWorkspace, workspaceNameSchema } from "@/lib/workspaces";

export async function switchWorkspace(formData: FormData): Promise<void> {
  const context = await authorizeAction("viewer");
  const id = String(formData.get("workspaceId") ?? "");
  // Only a workspace the operator belongs to can become current.
  if (context.memberships.some((m) => m.workspace.id === id)) {
    (await cookies()).set(WORKSPACE_COOKIE, id, { httpOnly: true, sameSite: "lax", path: "/" });
  }
  redirect("/admin");
}

export async function signOutOperator(): Promise<void> {
  await signOut({ redirectTo: "/signin" });
}

export const renameWorkspaceAction = operatorAction("owner", z.object({ name: workspaceNameSchema }), async (input, context) => {
  const db = await getDb();
  const workspace = await renameWorkspace(db, context.workspace.id, input.name, { kind: "user", userId: context.user.id });
  revalidatePath("/admin", "layout");
  return { message: `Workspace renamed to ${workspace.name}.` };
});

export const inviteOperatorAction = operatorAction(
  "owner",
  inviteInput.omit({ workspaceId: true }),
  async (input, context) => {
    const db = await getDb();
    const invited = await inviteOperator(
      db,
      { ...input, workspaceId: context.workspace.id },
      { kind: "user", userId: context.user.id },
    );
    revalidatePath("/admin/team");
    return { message: `${invited.email} can now sign in as ${invited.role}. They sign in with their email address on the sign-in page.` };
  },
);
