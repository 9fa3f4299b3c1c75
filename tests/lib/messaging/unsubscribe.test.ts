import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET, POST } from "@/app/api/unsubscribe/route";
import { customers } from "@/drizzle/schema";
import { sendMessage } from "@/lib/messaging/send";
import { findSuppression } from "@/lib/messaging/suppressions";
import { describeUnsubscribe, maskRecipient, signUnsubscribeToken, verifyUnsubscribeToken } from "@/lib/messaging/unsubscribe";
import { messagingCase, useEnv } from "../../helpers/messaging";

const subject = { workspaceId: "ws_1", channel: "email" as const, recipient: "Ana@Example.com" };

describe("unsubscribe tokens", () => {
  it("round-trip the workspace, channel and (normalized) recipient", () => {
    expect(verifyUnsubscribeToken(signUnsubscribeToken(subject))).toEqual({ workspaceId: "ws_1", channel: "email", recipient: "ana@example.com" });
  });

  it("reject a tampered payload, a tampered signature, another secret's token and junk", () => {
    const token = signUnsubscribeToken(subject);
    const [payload, signature] = token.split(".") as [string, string];
    const otherPayload = Buffer.from(JSON.stringify(["ws_1", "email", "someone-else@example.com"])).toString("base64url");
    expect(verifyUnsubscribeToken(`${otherPayload}.${signature}`)).toBeNull();
    const flipped = (signature.startsWith("A") ? "B" : "A") + signature.slice(1);
    expect(verifyUnsubscribeToken(`${payload}.${flipped}`)).toBeNull();
    expect(verifyUnsubscribeToken(signUnsubscribeToken(subject, "another-secret-another-secret-0123456789"))).toBeNull();
    for (const junk of ["", "abc", `${payload}.`, `${payload}.${signature}.x`, null, undefined]) expect(verifyUnsubscribeToken(junk)).toBeNull();
  });

  it("keep working after AUTH_SECRET rotates, while the old secret is listed in AUTH_SECRET_PREVIOUS", () => {
    const old = "the-secret-before-the-rotation-0123456789";
    const token = signUnsubscribeToken(subject, old);
    expect(verifyUnsubscribeToken(token)).toBeNull();
    const restore = useEnv({ AUTH_SECRET_PREVIOUS: `unrelated-previous-secret-0123456789abc,${old}` });
    try {
      expect(verifyUnsubscribeToken(token)).toEqual({ workspaceId: "ws_1", channel: "email", recipient: "ana@example.com" });
      expect(verifyUnsubscribeToken(signUnsubscribeToken(subject, "never-listed-secret-never-listed-0123456"))).toBeNull();
    } finally {
      restore();
    }
  });

  it("masks the address shown on the page", () => {
    expect(maskRecipient("ana@example.com")).toBe("a•••@example.com");
  });
});

async function reminderToken() {
  const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
  const [customer] = await t.db.select().from(customers).where(eq(customers.id, t.kase.customerId));
  const token = signUnsubscribeToken({ workspaceId: t.sim.workspaceId, channel: "email", recipient: customer!.email! });
  return { t, token, email: customer!.email! };
}

const oneClick = (token: string, body = "List-Unsubscribe=One-Click") =>
  POST(new Request(`http://localhost:3999/api/unsubscribe?token=${encodeURIComponent(token)}`, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded" } }));

describe("unsubscribing without signing in", () => {
  it("a one-click POST (RFC 8058) records the suppression, answers 200 without a redirect, and later reminders are skipped", async () => {
    const { t, token, email } = await reminderToken();
    const response = await oneClick(token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ unsubscribed: true, already: false });
    expect(await findSuppression(t.db, t.sim.workspaceId, "email", email)).toMatchObject({ reason: "unsubscribed" });
    expect(await t.auditOf("suppression.added")).toHaveLength(1);
    expect(await (await oneClick(token)).json()).toEqual({ unsubscribed: true, already: true });
    expect(await sendMessage(t.db, t.input({ template: "reminder" }))).toMatchObject({ status: "skipped" });
  });

  it("a one-click POST with a tampered token is refused and records nothing", async () => {
    const { t, token, email } = await reminderToken();
    const response = await oneClick(`${token.slice(0, -3)}xyz`);
    expect(response.status).toBe(400);
    expect(await findSuppression(t.db, t.sim.workspaceId, "email", email)).toBeNull();
  });

  it("the page's form posts, records it and returns to the page, which then says it is done", async () => {
    const { t, token, email } = await reminderToken();
    expect(await describeUnsubscribe(t.db, token)).toMatchObject({ suppressed: null, recipient: `${email[0]}•••@example.com` });
    const response = await oneClick(token, "");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`http://localhost:3999/unsubscribe?token=${encodeURIComponent(token)}`);
    expect(await describeUnsubscribe(t.db, token)).toMatchObject({ suppressed: "unsubscribed" });
  });

  it("opening the one-click address in a browser shows the page instead of unsubscribing", async () => {
    const { t, token, email } = await reminderToken();
    const response = await GET(new Request(`http://localhost:3999/api/unsubscribe?token=${encodeURIComponent(token)}`));
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toContain("/unsubscribe?token=");
    expect(await findSuppression(t.db, t.sim.workspaceId, "email", email)).toBeNull();
  });

  it("the page explains an invalid link instead of failing", async () => {
    const { t } = await reminderToken();
    await expect(describeUnsubscribe(t.db, "nope")).rejects.toThrow(/not valid/);
  });
});
