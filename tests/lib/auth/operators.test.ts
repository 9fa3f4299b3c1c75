import { webcrypto } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships, verificationTokens } from "@/drizzle/schema";
import { createSignInLink, hashVerificationToken } from "@/lib/auth/magic-link";
import { hasMembership } from "@/lib/auth/membership";
import { findUserByEmail, inviteOperator } from "@/lib/auth/operators";
import { hasRole } from "@/lib/auth/roles";
import { adminNavigation } from "@/lib/admin/navigation";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { makeWorkspace, unique } from "../../helpers/factories";

describe("operators", () => {
  it("invites an operator, then changes the role on a second invite", async () => {
    const db = await getDb();
    const ws = await makeWorkspace();
    const email = `${unique("Ana")}@Example.com`;
    const first = await inviteOperator(db, { workspaceId: ws.id, email, role: "viewer" }, { kind: "cli" });
    expect(first.email).toBe(email.toLowerCase());
    await inviteOperator(db, { workspaceId: ws.id, email, role: "admin" }, { kind: "cli" });
    const rows = await db.select().from(memberships).where(and(eq(memberships.workspaceId, ws.id), eq(memberships.userId, first.userId)));
    expect(rows.map((r) => r.role)).toEqual(["admin"]);
    expect(await hasMembership(db, email)).toBe(true);
  });

  it("rejects an unknown role or workspace and changes nothing", async () => {
    const db = await getDb();
    const ws = await makeWorkspace();
    const email = `${unique("bad")}@example.com`;
    await expect(inviteOperator(db, { workspaceId: ws.id, email, role: "god" as "owner" }, { kind: "cli" })).rejects.toThrow(/owner, admin or viewer/);
    await expect(inviteOperator(db, { workspaceId: "ws_nope", email, role: "viewer" }, { kind: "cli" })).rejects.toThrow(/No workspace/);
    await expect(inviteOperator(db, { workspaceId: ws.id, email: "not-an-email", role: "viewer" }, { kind: "cli" })).rejects.toThrow(/email/i);
    expect(await findUserByEmail(db, email)).toBeNull();
  });

  it("creates one-time sign-in links stored hashed exactly as Auth.js checks them", async () => {
    const db = await getDb();
    const email = `${unique("link")}@example.com`;
    const { url, expires } = await createSignInLink(db, email, { now: new Date("2026-01-01T00:00:00Z") });
    const parsed = new URL(url);
    expect(parsed.pathname).toBe("/api/auth/callback/email");
    expect(parsed.origin).toBe(getEnv().appUrl);
    expect(parsed.searchParams.get("callbackUrl")).toBe(`${getEnv().appUrl}/admin`);
    expect(expires.toISOString()).toBe("2026-01-02T00:00:00.000Z");
    const token = parsed.searchParams.get("token")!;
    // Auth.js: sha256 hex of token + secret, via WebCrypto.
    const digest = await webcrypto.subtle.digest("SHA-256", new TextEncoder().encode(`${token}${getEnv().authSecret}`));
    const expected = Buffer.from(digest).toString("hex");
    expect(hashVerificationToken(token, getEnv().authSecret)).toBe(expected);
    const stored = await db.select().from(verificationTokens).where(eq(verificationTokens.identifier, email));
    expect(stored.map((s) => s.token)).toEqual([expected]);
  });

  it("orders roles owner ⊃ admin ⊃ viewer and shows only permitted navigation", () => {
    expect(hasRole("owner", "admin")).toBe(true);
    expect(hasRole("admin", "owner")).toBe(false);
    expect(hasRole("viewer", "viewer")).toBe(true);
    expect(hasRole("viewer", "admin")).toBe(false);
    expect(adminNavigation("viewer").map((n) => n.href)).not.toContain("/admin/settings");
    expect(adminNavigation("owner").map((n) => n.href)).toContain("/admin/settings");
  });
});
