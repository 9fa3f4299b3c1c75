import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/resend/route";
import { sendMessage } from "@/lib/messaging/send";
import { findSuppression } from "@/lib/messaging/suppressions";
import { startFakeResend, type FakeResend } from "../../fakes/resend-api";
import { messagingCase, signResendWebhook, useEnv, webhookSecret } from "../../helpers/messaging";

let resend: FakeResend;
let restoreEnv: () => void;
let secret: string;
beforeEach(async () => {
  resend = await startFakeResend();
  secret = webhookSecret();
  restoreEnv = useEnv({ RESEND_API_KEY: "re_test_123", RESEND_BASE_URL: resend.url, RESEND_WEBHOOK_SECRET: secret });
});
afterEach(async () => {
  restoreEnv();
  await resend.close();
});

/** Resend's payload for an email event (as documented for email.bounced / email.complained). */
function eventBody(type: string, emailId: string, to: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    type,
    created_at: "2026-03-02T09:00:05.000Z",
    data: { created_at: "2026-03-02T09:00:00.000Z", email_id: emailId, from: "Billing <billing@acme.example>", to: [to], subject: "Reminder", ...extra },
  });
}

const post = (body: string, headers: Record<string, string>) => POST(new Request("http://localhost:3999/api/webhooks/resend", { method: "POST", body, headers }));

async function sentMessage() {
  const t = await messagingCase({ start: "2026-03-02T09:00:00Z" });
  const result = await sendMessage(t.db, t.input({ template: "reminder" }));
  if (result.status !== "sent" || !result.providerId) throw new Error("expected a message sent through Resend");
  return { t, providerId: result.providerId, recipient: result.recipient };
}

describe("Resend delivery webhooks", () => {
  it("a signed email.bounced marks the message bounced and suppresses the address; a repeat changes nothing", async () => {
    const { t, providerId, recipient } = await sentMessage();
    const body = eventBody("email.bounced", providerId, recipient, { bounce: { type: "Permanent", subType: "General", message: "The recipient's mailbox does not exist." } });
    const response = await post(body, signResendWebhook(secret, body));
    expect(response.status).toBe(200);
    expect((await t.messagesOf())[0]!.status).toBe("bounced");
    expect(await findSuppression(t.db, t.sim.workspaceId, "email", recipient)).toMatchObject({ reason: "bounced" });
    // Resend delivers at least once: the same event again is harmless.
    expect((await post(body, signResendWebhook(secret, body))).status).toBe(200);
    expect(await t.auditOf("message.bounced")).toHaveLength(1);
    expect(await t.auditOf("suppression.added")).toHaveLength(1);
    // The next reminder to that address is skipped.
    expect(await sendMessage(t.db, t.input({ template: "reminder" }))).toMatchObject({ status: "skipped", reason: expect.stringMatching(/bounced/) });
    expect(resend.requests).toHaveLength(1);
  });

  it("a signed email.complained marks the message complained and suppresses the address", async () => {
    const { t, providerId, recipient } = await sentMessage();
    const body = eventBody("email.complained", providerId, recipient);
    expect((await post(body, signResendWebhook(secret, body))).status).toBe(200);
    expect((await t.messagesOf())[0]!.status).toBe("complained");
    expect(await findSuppression(t.db, t.sim.workspaceId, "email", recipient)).toMatchObject({ reason: "complained" });
  });

  it("delivered moves a sent message forward, but a late delivered never undoes a bounce", async () => {
    const { t, providerId, recipient } = await sentMessage();
    const delivered = eventBody("email.delivered", providerId, recipient);
    const bounced = eventBody("email.bounced", providerId, recipient, { bounce: { type: "Permanent", subType: "General", message: "no such user" } });
    await post(delivered, signResendWebhook(secret, delivered));
    expect((await t.messagesOf())[0]!.status).toBe("delivered");
    await post(bounced, signResendWebhook(secret, bounced));
    await post(delivered, signResendWebhook(secret, delivered));
    expect((await t.messagesOf())[0]!.status).toBe("bounced");
  });

  it("a transient bounce is recorded but does not suppress the address", async () => {
    const { t, providerId, recipient } = await sentMessage();
    const body = eventBody("email.bounced", providerId, recipient, { bounce: { type: "Transient", subType: "MailboxFull", message: "mailbox full" } });
    await post(body, signResendWebhook(secret, body));
    expect((await t.messagesOf())[0]!.status).toBe("bounced");
    expect(await findSuppression(t.db, t.sim.workspaceId, "email", recipient)).toBeNull();
  });

  it("answers 400 to a bad signature, a tampered body or another secret's signature, and changes nothing", async () => {
    const { t, providerId, recipient } = await sentMessage();
    const body = eventBody("email.bounced", providerId, recipient, { bounce: { type: "Permanent", subType: "General", message: "x" } });
    const headers = signResendWebhook(secret, body);
    expect((await post(body, { ...headers, "svix-signature": "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" })).status).toBe(400);
    expect((await post(body.replace("email.bounced", "email.delivered"), headers)).status).toBe(400);
    expect((await post(body, signResendWebhook(webhookSecret(), body))).status).toBe(400);
    const unsigned = await post(body, { "content-type": "application/json" });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toEqual({ error: "Invalid signature." });
    // An old, replayed signature is refused too (Standard Webhooks allows five minutes).
    expect((await post(body, signResendWebhook(secret, body, { timestamp: Math.floor(Date.now() / 1000) - 3600 }))).status).toBe(400);
    expect((await t.messagesOf())[0]!.status).toBe("sent");
    expect(await findSuppression(t.db, t.sim.workspaceId, "email", recipient)).toBeNull();
  });

  it("acknowledges events it does not track and emails it does not know", async () => {
    const body = eventBody("email.opened", "00000000-0000-0000-0000-000000000000", "x@example.com");
    const response = await post(body, signResendWebhook(secret, body));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ignored: "email.opened" });
    const unknown = eventBody("email.delivered", "00000000-0000-0000-0000-000000000000", "x@example.com");
    expect(await (await post(unknown, signResendWebhook(secret, unknown))).json()).toMatchObject({ ignored: "unknown email" });
  });

  it("says what to set when no webhook secret is configured", async () => {
    restoreEnv();
    restoreEnv = useEnv({ RESEND_API_KEY: "re_test_123", RESEND_BASE_URL: resend.url });
    const body = eventBody("email.delivered", "x", "x@example.com");
    const response = await post(body, signResendWebhook(secret, body));
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: expect.stringMatching(/RESEND_WEBHOOK_SECRET/) });
  });
});
