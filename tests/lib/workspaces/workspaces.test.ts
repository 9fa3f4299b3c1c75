import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, workspaces } from "@/drizzle/schema";
import { listAudit } from "@/lib/audit";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createWorkspace, getWorkspace, listMembershipsOfUser, renameWorkspace } from "@/lib/workspaces";
import { makeUser, unique } from "../../helpers/factories";

describe("workspaces", () => {
  it("creates a workspace with its owner and an audit entry", async () => {
    const db = await getDb();
    const owner = await makeUser();
    const ws = await createWorkspace(db, { name: "Acme", timezone: "Europe/Paris" }, { kind: "user", userId: owner.id }, { userId: owner.id });
    expect(ws.id).toMatch(/^ws_[0-9a-z]{24}$/);
    expect((await listMembershipsOfUser(db, owner.id)).map((m) => [m.workspace.id, m.role])).toEqual([[ws.id, "owner"]]);
    const [entry] = await listAudit(db, ws.id);
    expect(entry).toMatchObject({ action: "workspace.created", actor: `user:${owner.id}`, targetId: ws.id });
  });

  it("refuses bad input with a clear error and writes nothing", async () => {
    const db = await getDb();
    const name = unique("x");
    await expect(createWorkspace(db, { name: "   " }, { kind: "cli" })).rejects.toThrow(/Give the workspace a name/);
    await expect(createWorkspace(db, { name, timezone: "Mars/Olympus" }, { kind: "cli" })).rejects.toThrow(AppError);
    expect(await db.select().from(workspaces).where(eq(workspaces.name, name))).toHaveLength(0);
  });

  it("audits a rename with the old and new name", async () => {
    const db = await getDb();
    const ws = await createWorkspace(db, { name: "Before" }, { kind: "cli" });
    await renameWorkspace(db, ws.id, "After", { kind: "cli" });
    expect((await getWorkspace(db, ws.id)).name).toBe("After");
    const entries = await db.select().from(auditLog).where(eq(auditLog.workspaceId, ws.id));
    expect(entries.find((e) => e.action === "workspace.renamed")?.data).toEqual({ from: "Before", to: "After" });
    await expect(renameWorkspace(db, "ws_missing", "X", { kind: "cli" })).rejects.toThrow(/does not exist/);
  });

  it("lists only the workspaces an operator belongs to", async () => {
    const db = await getDb();
    const a = await makeUser();
    const b = await makeUser();
    const wsA = await createWorkspace(db, { name: unique("A") }, { kind: "cli" }, { userId: a.id });
    await createWorkspace(db, { name: unique("B") }, { kind: "cli" }, { userId: b.id });
    expect((await listMembershipsOfUser(db, a.id)).map((m) => m.workspace.id)).toEqual([wsA.id]);
  });
});
