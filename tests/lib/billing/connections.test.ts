import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, connections } from "@/drizzle/schema";
import { addConnection, getConnection, listConnections, rotateSecrets } from "@/lib/billing/connections";
import { credentialsOf } from "@/lib/billing/providers";
import { getDb } from "@/lib/db/client";
import { makeWorkspace } from "../../helpers/factories";

const cli = { kind: "cli" } as const;

describe("connections", () => {
  it("stores Stripe secrets encrypted, shows only their last four, and gives the webhook URL", async () => {
    const db = await getDb();
    const ws = await makeWorkspace();
    const view = await addConnection(db, { provider: "stripe", workspaceId: ws.id, secretKey: "sk_test_51abcdefWXYZ", webhookSecrets: ["whsec_one_1111"] }, cli);
    expect(view.webhookUrl).toBe(`http://localhost:3999/api/webhooks/stripe/${view.id}`);
    expect(view.secretHints).toEqual({ secretKey: "WXYZ", webhookSecrets: ["1111"] });
    expect(JSON.stringify(view)).not.toContain("sk_test_51abcdefWXYZ");
    expect(view.eventsToEnable).toContain("invoice.payment_failed");
    const [row] = await db.select().from(connections).where(eq(connections.id, view.id));
    expect(row!.secretsCiphertext).not.toContain("sk_test");
    expect(credentialsOf(row!)).toMatchObject({ provider: "stripe", secretKey: "sk_test_51abcdefWXYZ", webhookSecrets: ["whsec_one_1111"] });
    const audit = await db.select().from(auditLog).where(eq(auditLog.targetId, view.id));
    expect(audit.map((a) => a.action)).toEqual(["connection.added"]);
  });

  it("refuses bad input with the field to fix, and stores nothing", async () => {
    const db = await getDb();
    const ws = await makeWorkspace();
    await expect(addConnection(db, { provider: "stripe", workspaceId: ws.id, secretKey: "nope", webhookSecrets: ["whsec_1"] }, cli)).rejects.toThrow(/secretKey: must be a Stripe secret key/);
    await expect(addConnection(db, { provider: "stripe", workspaceId: ws.id, secretKey: "sk_test_1", webhookSecrets: ["sk_oops"] }, cli)).rejects.toThrow(/webhookSecrets.0: must start with whsec_/);
    await expect(addConnection(db, { provider: "stripe", workspaceId: ws.id, secretKey: "sk_test_1", webhookSecrets: ["whsec_a", "whsec_b", "whsec_c"] }, cli)).rejects.toThrow(/at most two/);
    await expect(
      addConnection(db, { provider: "chargebee", workspaceId: ws.id, site: "Acme Test!", apiKey: "test_12345678", webhookUsername: "u", webhookPassword: "p".repeat(12) }, cli),
    ).rejects.toThrow(/site/);
    await expect(addConnection(db, { provider: "stripe", workspaceId: ws.id, secretKey: "sk_test_1", webhookSecrets: ["whsec_1"], apiBase: "not a url" }, cli)).rejects.toThrow(/apiBase/);
    expect(await listConnections(db, ws.id)).toEqual([]);
  });

  it("rotates one secret, keeps the others, and scopes every lookup by workspace", async () => {
    const db = await getDb();
    const ws = await makeWorkspace();
    const other = await makeWorkspace();
    const view = await addConnection(db, { provider: "chargebee", workspaceId: ws.id, site: "acme-test", apiKey: "test_key_AAAA", webhookUsername: "dunwell", webhookPassword: "correct-horse-battery" }, cli);
    await rotateSecrets(db, ws.id, view.id, { apiKey: "test_key_BBBB" }, cli);
    const creds = credentialsOf(await getConnection(db, view.id, ws.id));
    expect(creds).toMatchObject({ apiKey: "test_key_BBBB", webhookPassword: "correct-horse-battery", site: "acme-test" });
    await expect(getConnection(db, view.id, other.id)).rejects.toThrow(/No connection/);
    await expect(rotateSecrets(db, other.id, view.id, { apiKey: "x" }, cli)).rejects.toThrow(/No connection/);
    expect((await listConnections(db, other.id)).length).toBe(0);
  });
});
