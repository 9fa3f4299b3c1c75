import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { customers, messages } from "@/drizzle/schema";
import { ConfigError, parseEnv } from "@/lib/env";
import { createCustomer } from "@/lib/billing/sandbox/simulate";
import { newId } from "@/lib/ids";
import { composeMessage } from "@/lib/messaging/render";
import { sendMessage } from "@/lib/messaging/send";
import { saveMessagingSettings } from "@/lib/messaging/settings";
import { SMS_OUTCOME_UNKNOWN } from "@/lib/messaging/sms";
import { composeSmsText, smsSegments } from "@/lib/messaging/sms-text";
import { findSuppression } from "@/lib/messaging/suppressions";
import { startFakeTwilio, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_FROM, type FakeTwilio } from "../../fakes/twilio-api";
import { messagingCase, useEnv } from "../../helpers/messaging";
import { PHONE, smsCase, twilioEnv } from "../../helpers/sms";

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

describe("SMS through Twilio's SDK", () => {
  it("stores the row, sends a one-segment text with the portal link and the opt-out words, and records Twilio's SID", async () => {
    const t = await smsCase();
    const input = t.sms();
    const result = await sendMessage(t.db, input);
    expect(result).toMatchObject({ status: "sent", recipient: PHONE, repeated: false });
    expect(twilio.requests).toHaveLength(1);
    expect(twilio.requests[0]).toMatchObject({ authorized: true, form: { To: PHONE, From: TEST_FROM } });
    const body = twilio.requests[0]!.form.Body!;
    expect(body).toMatch(/^Acme: /);
    expect(body).toContain(`http://localhost:3999/portal/${t.kase.id}`);
    expect(body).toContain("Reply STOP to opt out.");
    expect(smsSegments(body)).toBe(1);
    const [row] = await t.messagesOf();
    expect(row).toMatchObject({ channel: "sms", status: "sent", recipient: PHONE, providerId: twilio.sent[0]!.sid, text: body, html: null, attempts: 1 });
    expect(row!.providerId).toMatch(/^SM[0-9a-f]{32}$/);
  });

  it("sends one SMS for one step, however often (or however concurrently) it runs", async () => {
    const t = await smsCase();
    const input = t.sms();
    const both = await Promise.allSettled([sendMessage(t.db, input), sendMessage(t.db, input)]);
    expect(both.filter((r) => r.status === "fulfilled" && r.value.status === "sent")).not.toHaveLength(0);
    expect(await sendMessage(t.db, input)).toMatchObject({ status: "sent", repeated: true });
    expect(twilio.sent).toHaveLength(1);
    expect(await t.messagesOf()).toHaveLength(1);
  });

  it("retries a 429 once at once: two calls, one SMS", async () => {
    const t = await smsCase();
    twilio.failNext(20429);
    expect(await sendMessage(t.db, t.sms())).toMatchObject({ status: "sent" });
    expect(twilio.requests).toHaveLength(2);
    expect(twilio.sent).toHaveLength(1);
    expect((await t.messagesOf())[0]).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("fails after two 5xx with Twilio's message; the next run reuses the row and the same text, and sends once", async () => {
    const t = await smsCase();
    twilio.failNext(20500, 2);
    const input = t.sms();
    const failed = await sendMessage(t.db, input);
    expect(failed).toMatchObject({ status: "failed" });
    if (failed.status === "failed") expect(failed.error).toMatchObject({ retryable: true, httpStatus: 500, providerCode: "20500" });
    expect((await t.messagesOf())[0]).toMatchObject({ status: "failed", attempts: 2, error: "Twilio refused the SMS: Internal Server Error (20500)" });
    expect(await sendMessage(t.db, input)).toMatchObject({ status: "sent" });
    expect(twilio.sent).toHaveLength(1);
    expect(twilio.requests.map((r) => r.form.Body)).toEqual(Array(3).fill(twilio.sent[0]!.body));
    expect((await t.messagesOf())[0]).toMatchObject({ status: "sent", attempts: 3, error: null });
  });

  it("takes Twilio's 21610 (the number texted STOP to us) as an opt-out: suppressed, not retried", async () => {
    const t = await smsCase();
    twilio.failNext(21610);
    expect(await sendMessage(t.db, t.sms())).toMatchObject({ status: "failed" });
    expect(twilio.requests).toHaveLength(1);
    expect(await findSuppression(t.db, t.sim.workspaceId, "sms", PHONE)).toMatchObject({ reason: "unsubscribed" });
    expect(await sendMessage(t.db, t.sms())).toMatchObject({ status: "skipped", reason: "the recipient unsubscribed (unsubscribed)" });
    expect(twilio.requests).toHaveLength(1);
  });

  it("never sends again a row whose earlier attempt lost Twilio's answer", async () => {
    const hangUp = createServer((req) => req.on("data", () => req.socket.destroy()));
    await new Promise<void>((resolve) => hangUp.listen(0, "127.0.0.1", resolve));
    restoreEnv();
    restoreEnv = useEnv(twilioEnv(`http://127.0.0.1:${(hangUp.address() as AddressInfo).port}`));
    try {
      const t = await smsCase();
      const input = t.sms();
      await expect(sendMessage(t.db, input)).rejects.toMatchObject({ retryable: true, providerCode: "outcome_unknown" });
      expect((await t.messagesOf())[0]).toMatchObject({ status: "queued", attempts: 1 });
      restoreEnv();
      restoreEnv = useEnv(twilioEnv(twilio.url));
      expect(await sendMessage(t.db, input)).toMatchObject({ status: "skipped", reason: SMS_OUTCOME_UNKNOWN });
      expect(twilio.requests).toHaveLength(0);
    } finally {
      await new Promise((resolve) => hangUp.close(resolve));
    }
  });

  it("skips a row a crashed run had claimed, sending nothing", async () => {
    const t = await smsCase();
    const input = t.sms();
    await t.db.insert(messages).values({ id: newId("msg"), workspaceId: t.sim.workspaceId, customerId: t.kase.customerId, caseId: t.kase.id, channel: "sms", recipient: PHONE, template: "reminder", locale: "en", text: "…", idempotencyKey: input.idempotencyKey, status: "queued", attempts: 1 });
    expect(await sendMessage(t.db, input)).toMatchObject({ status: "skipped", reason: SMS_OUTCOME_UNKNOWN });
    expect(twilio.requests).toHaveLength(0);
  });
});

describe("SMS rules", () => {
  it("keeps SMS in the outbox when Twilio is not configured: the stored row is the delivery", async () => {
    restoreEnv();
    restoreEnv = useEnv({});
    const t = await smsCase();
    expect(await sendMessage(t.db, t.sms())).toMatchObject({ status: "sent", providerId: null });
    expect((await t.messagesOf())[0]).toMatchObject({ channel: "sms", status: "sent", recipient: PHONE, providerId: null });
    expect((await t.messagesOf())[0]!.text).toContain("/portal/");
    expect(twilio.requests).toHaveLength(0);
  });

  it("sends nothing while the workspace has SMS off, without a phone, or with a number not in international form", async () => {
    const off = await smsCase({ smsEnabled: false });
    expect(await sendMessage(off.db, off.sms())).toMatchObject({ status: "skipped", reason: "SMS is turned off for this workspace" });
    const none = await smsCase({ phone: null });
    expect(await sendMessage(none.db, none.sms())).toMatchObject({ status: "skipped", reason: "the customer has no phone number on file" });
    const local = await smsCase({ phone: "0151 1234 5678" });
    expect(await sendMessage(local.db, local.sms())).toMatchObject({ status: "skipped", reason: expect.stringMatching(/not in international form/) });
    expect(twilio.requests).toHaveLength(0);
  });

  it("defers an SMS in the customer's quiet hours like an email, and applies the weekly cap", async () => {
    const night = await smsCase({ start: "2026-03-02T22:30:00Z" }); // 23:30 in Berlin
    expect(await sendMessage(night.db, night.sms())).toMatchObject({ status: "deferred", deferredUntil: new Date("2026-03-03T07:00:00Z") });
    const capped = await smsCase();
    await saveMessagingSettings(capped.db, capped.sim.workspaceId, { sendWindowStartHour: 8, sendWindowEndHour: 21, maxRemindersPer7Days: 1, branding: {}, smsEnabled: true }, { kind: "system" });
    expect(await sendMessage(capped.db, capped.sms())).toMatchObject({ status: "sent" });
    expect(await sendMessage(capped.db, capped.sms())).toMatchObject({ status: "deferred", reason: expect.stringMatching(/at most 1 reminders per 7 days/) });
    expect(twilio.sent).toHaveLength(1);
  });

  it("takes the phone from the provider's customer", async () => {
    const t = await messagingCase();
    const customer = await createCustomer(t.sim.sandbox, { email: "p@example.com", name: "P", currency: "eur", phone: PHONE });
    await t.sim.sync();
    const [row] = await t.db.select().from(customers).where(and(eq(customers.workspaceId, t.sim.workspaceId), eq(customers.externalId, customer.id)));
    expect(row!.phone).toBe(PHONE);
  });
});

describe("the SMS text", () => {
  const data = { amountMinor: 4900, currency: "eur", cardBrand: "visa", cardLast4: "4242", planName: "Pro", dueDate: "2026-03-20T10:00:00Z", portalUrl: "https://pay.acme.example/p/k3j9x2" };
  const sms = (locale: string, template: "payment_failed" | "reminder" | "card_expiring" | "payment_recovered", portalUrl = data.portalUrl) =>
    composeSmsText(composeMessage({ branding: { name: "Acme" }, data: { ...data, portalUrl }, template, locale, declineCategory: "insufficient_funds" }), { reminder: template !== "payment_recovered" });

  it.each(["en", "de", "fr", "es"])("fits one segment in %s, in the customer's language, with the link", (locale) => {
    for (const template of ["payment_failed", "reminder", "card_expiring", "payment_recovered"] as const) {
      const text = sms(locale, template);
      expect(smsSegments(text), `${locale} ${template}: ${text}`).toBe(1);
      expect(text).toContain(data.portalUrl);
      expect(text.startsWith("Acme: ")).toBe(true);
      expect(text).not.toMatch(/[\u00a0\u202f\u2019\u201c\u201e]/);
    }
    expect(sms(locale, "reminder")).toContain("STOP");
    expect(sms(locale, "payment_recovered")).not.toContain("STOP");
  });

  it("words the text in the customer's language, and gives up the button's words before a second segment", () => {
    expect(sms("de", "card_expiring")).toBe(`Acme: Ihre Visa-Karte mit der Endung 4242 läuft bald ab. Karte aktualisieren: ${data.portalUrl} Antworten Sie STOP zum Abmelden.`);
    const longLink = `https://dunwell.example.com/portal/l/${"x".repeat(38)}`;
    expect(sms("en", "card_expiring", longLink)).toBe(`Acme: Your Visa card ending in 4242 is about to expire. ${longLink} Reply STOP to opt out.`);
  });

  it("counts GSM-7 and UCS-2 segments as carriers do", () => {
    expect(smsSegments("a".repeat(160))).toBe(1);
    expect(smsSegments("a".repeat(161))).toBe(2);
    expect(smsSegments("€".repeat(80))).toBe(1);
    expect(smsSegments("ê".repeat(70))).toBe(1);
    expect(smsSegments("ê".repeat(71))).toBe(2);
  });
});

describe("Twilio's configuration", () => {
  const embedded = { DUNWELL_DATA_DIR: process.env.DUNWELL_DATA_DIR };
  it("is all of SID, token and one sender, or none: SMS then stay in the outbox", () => {
    expect(parseEnv(embedded)).toMatchObject({ smsTransport: "outbox", twilio: undefined });
    const full = parseEnv({ ...embedded, TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_MESSAGING_SERVICE_SID: `MG${"0".repeat(32)}` });
    expect(full).toMatchObject({ smsTransport: "twilio", twilio: { sender: { messagingServiceSid: `MG${"0".repeat(32)}` }, baseUrl: "https://api.twilio.com" } });
  });

  it.each([
    [{ TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, TWILIO_FROM: TEST_FROM }, /TWILIO_AUTH_TOKEN is required/],
    [{ TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_FROM: TEST_FROM }, /TWILIO_ACCOUNT_SID is required/],
    [{ TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN }, /TWILIO_FROM \(or TWILIO_MESSAGING_SERVICE_SID\) is required/],
    [{ TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_FROM: TEST_FROM, TWILIO_MESSAGING_SERVICE_SID: `MG${"0".repeat(32)}` }, /both set/],
    [{ TWILIO_ACCOUNT_SID: "SK123", TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_FROM: TEST_FROM }, /TWILIO_ACCOUNT_SID must be your Twilio Account SID/],
    [{ TWILIO_ACCOUNT_SID: TEST_ACCOUNT_SID, TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, TWILIO_FROM: "0151 1234" }, /TWILIO_FROM must be a phone number in E.164 form/],
  ])("stops start-up with one line naming what is missing or wrong (%#)", (vars, message) => {
    expect(() => parseEnv({ ...embedded, ...vars })).toThrow(ConfigError);
    expect(() => parseEnv({ ...embedded, ...vars })).toThrow(message);
  });
});
