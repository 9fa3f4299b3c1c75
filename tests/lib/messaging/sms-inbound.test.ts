import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/twilio/route";
import { optKeywordOf } from "@/lib/messaging/inbound-sms";
import { sendMessage } from "@/lib/messaging/send";
import { addSuppression, findSuppression } from "@/lib/messaging/suppressions";
import { startFakeTwilio, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM, type FakeTwilio } from "../../fakes/twilio-api";
import { useEnv } from "../../helpers/messaging";
import { PHONE, smsCase, twilioEnv } from "../../helpers/sms";

const WEBHOOK_URL = "http://localhost:3999/api/webhooks/twilio";

/** Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed by the auth token, of the URL followed by each POST field (sorted) as name+value. */
function signTwilio(url: string, params: Record<string, string>, token = TEST_AUTH_TOKEN): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac("sha1", token).update(Buffer.from(data, "utf8")).digest("base64");
}

/** An inbound SMS as Twilio posts it to the number's webhook. */
function inbound(body: string, options: { from?: string; signature?: string | null; extra?: Record<string, string> } = {}) {
  const params = { ToCountry: "US", SmsMessageSid: "SMx1", NumMedia: "0", MessageSid: `SM${"b".repeat(32)}`, AccountSid: TEST_ACCOUNT_SID, From: options.from ?? PHONE, To: TEST_FROM, Body: body, NumSegments: "1", ApiVersion: "2010-04-01", ...options.extra };
  const signature = options.signature === undefined ? signTwilio(WEBHOOK_URL, params) : options.signature;
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (signature !== null) headers["x-twilio-signature"] = signature;
  return POST(new Request(WEBHOOK_URL, { method: "POST", headers, body: new URLSearchParams(params).toString() }));
}

let twilio: FakeTwilio;
let restoreEnv: () => void;
beforeEach(async () => {
  twilio = await startFakeTwilio();
  restoreEnv = useEnv(twilioEnv(twilio.url));
});
afterEach(async () => {
  restoreEnv();
  await twilio.close();
});

describe("inbound SMS at /api/webhooks/twilio", () => {
  it("STOP records the SMS suppression for the workspace that knows the number; later SMS are skipped and never reach Twilio", async () => {
    const t = await smsCase();
    const response = await inbound("Stop");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/xml");
    expect(await response.text()).toContain("<Response/>");
    expect(await findSuppression(t.db, t.sim.workspaceId, "sms", PHONE)).toMatchObject({ reason: "unsubscribed" });
    expect(await t.auditOf("suppression.added")).toHaveLength(1);
    expect(await sendMessage(t.db, t.sms())).toMatchObject({ status: "skipped", reason: "the recipient unsubscribed (unsubscribed)" });
    // A texted STOP stops receipts too (carrier rules), unlike an email unsubscribe.
    expect(await sendMessage(t.db, t.sms({ template: "payment_recovered" }))).toMatchObject({ status: "skipped" });
    expect(twilio.requests).toHaveLength(0);
    // Twilio retries a webhook: the second STOP changes nothing.
    expect((await inbound("STOP")).status).toBe(200);
    expect(await t.auditOf("suppression.added")).toHaveLength(1);
  });

  it("START lifts what STOP recorded and SMS flow again; it never lifts an operator's do-not-contact", async () => {
    const t = await smsCase();
    await inbound("UNSUBSCRIBE");
    expect(await findSuppression(t.db, t.sim.workspaceId, "sms", PHONE)).not.toBeNull();
    expect((await inbound("start")).status).toBe(200);
    expect(await findSuppression(t.db, t.sim.workspaceId, "sms", PHONE)).toBeNull();
    expect(await t.auditOf("suppression.removed")).toHaveLength(1);
    expect(await sendMessage(t.db, t.sms())).toMatchObject({ status: "sent" });
    expect(twilio.sent).toHaveLength(1);

    const other = await smsCase({ phone: "+4915199999999" });
    await addSuppression(other.db, { workspaceId: other.sim.workspaceId, channel: "sms", recipient: "+4915199999999", reason: "do_not_contact", at: new Date(), actor: { kind: "system" }, source: "operator" });
    await inbound("START", { from: "+4915199999999" });
    expect(await findSuppression(other.db, other.sim.workspaceId, "sms", "+4915199999999")).toMatchObject({ reason: "do_not_contact" });
  });

  it("refuses a bad or missing signature with 403 and records nothing", async () => {
    const t = await smsCase();
    const forged = signTwilio(WEBHOOK_URL, { From: PHONE, Body: "STOP" }, "not-the-auth-token");
    expect((await inbound("STOP", { signature: forged })).status).toBe(403);
    expect((await inbound("STOP", { signature: null })).status).toBe(403);
    // Signed for one body, sent with another.
    const signedStart = signTwilio(WEBHOOK_URL, { From: PHONE, Body: "START" });
    expect((await inbound("STOP", { signature: signedStart })).status).toBe(403);
    expect(await findSuppression(t.db, t.sim.workspaceId, "sms", PHONE)).toBeNull();
    expect(await t.auditOf("suppression.added")).toHaveLength(0);
  });

  it("answers 503 while Twilio is not configured, and ignores ordinary texts", async () => {
    const t = await smsCase();
    expect((await inbound("Thanks, paid!")).status).toBe(200);
    expect(await findSuppression(t.db, t.sim.workspaceId, "sms", PHONE)).toBeNull();
    restoreEnv();
    restoreEnv = useEnv({});
    expect((await inbound("STOP")).status).toBe(503);
    expect(await findSuppression(t.db, t.sim.workspaceId, "sms", PHONE)).toBeNull();
  });

  it("knows Twilio's opt-out and opt-in words, and its OptOutType field", () => {
    for (const word of ["STOP", "stop", " Stop. ", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"]) expect(optKeywordOf(word), word).toBe("opt_out");
    for (const word of ["START", "unstop", "Yes"]) expect(optKeywordOf(word), word).toBe("opt_in");
    for (const word of ["stop sending me these", "Hello", "", "STOPP"]) expect(optKeywordOf(word), word).toBeNull();
    expect(optKeywordOf("ARRET", "STOP")).toBe("opt_out");
    expect(optKeywordOf("ALLEZ", "START")).toBe("opt_in");
  });
});
