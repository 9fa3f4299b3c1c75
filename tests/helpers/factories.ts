import { randomBytes } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { ensureUser } from "@/lib/auth/operators";
import { createWorkspace } from "@/lib/workspaces";

export const unique = (label: string) => `${label}-${randomBytes(4).toString("hex")}`;

export async function makeWorkspace(name = unique("Workspace")) {
  return createWorkspace(await getDb(), { name }, { kind: "system" });
}

export async function makeUser(email = `${unique("op")}@example.com`) {
  return ensureUser(await getDb(), email);
}
