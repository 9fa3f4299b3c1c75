import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export const TEST_ACCOUNT_SID = `AC${"a1".repeat(16)}`;
export const TEST_AUTH_TOKEN = "twilio-test-auth-token-0123456789";
export const TEST_FROM = "+15005550006";

export type TwilioRequest = { method: string; path: string; authorized: boolean; form: Record<string, string> };
export type TwilioMessage = { sid: string; to: string; from: string | null; messagingServiceSid: string | null; body: string };

/** Twilio's own error bodies ({code, message, more_info, status}) for the answers the tests provoke. */
const errors: Record<number, { status: number; message: string }> = {
  20003: { status: 401, message: "Authenticate" },
  20429: { status: 429, message: "Too Many Requests" },
  20500: { status: 500, message: "Internal Server Error" },
  20503: { status: 503, message: "Service Unavailable" },
  21211: { status: 400, message: "Invalid 'To' Phone Number" },
  21610: { status: 400, message: "Attempt to send to unsubscribed recipient" },
};
export type TwilioErrorCode = keyof typeof errors;

export type FakeTwilio = {
  url: string;
  requests: TwilioRequest[];
  /** Messages Twilio accepted (201), in order. */
  sent: TwilioMessage[];
  /** The next `times` message creations answer with this Twilio error (nothing is sent). */
  failNext(code: 20429 | 20500 | 20503 | 21211 | 21610, times?: number): void;
  close(): Promise<void>;
};

const rfc2822 = (d: Date) => d.toUTCString().replace("GMT", "+0000");
const messageSid = () => `SM${randomBytes(16).toString("hex")}`;

/**
 * A local HTTP server answering POST /2010-04-01/Accounts/{sid}/Messages.json as Twilio's REST
 * API does: HTTP basic auth with the account SID and auth token, a form-encoded body, 201 with
 * the Message resource, or an error body. No idempotency, as with Twilio.
 */
export async function startFakeTwilio(): Promise<FakeTwilio> {
  const requests: TwilioRequest[] = [];
  const sent: TwilioMessage[] = [];
  const failures: number[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString("utf8")));
    const expected = `Basic ${Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString("base64")}`;
    const authorized = req.headers.authorization === expected;
    requests.push({ method: req.method ?? "", path: req.url ?? "", authorized, form });
    const answer = (status: number, payload: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", "twilio-request-id": `RQ${randomBytes(16).toString("hex")}` });
      res.end(JSON.stringify(payload));
    };
    const fail = (code: number) => answer(errors[code]!.status, { code, message: errors[code]!.message, more_info: `https://www.twilio.com/docs/errors/${code}`, status: errors[code]!.status });
    if (req.method !== "POST" || req.url !== `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages.json`) {
      return answer(404, { code: 20404, message: `The requested resource ${req.url} was not found`, more_info: "https://www.twilio.com/docs/errors/20404", status: 404 });
    }
    if (!authorized) return fail(20003);
    const failure = failures.shift();
    if (failure) return fail(failure);
    if (!/^\+[1-9]\d{6,14}$/.test(form.To ?? "")) return fail(21211);
    const message: TwilioMessage = { sid: messageSid(), to: form.To!, from: form.From ?? null, messagingServiceSid: form.MessagingServiceSid ?? null, body: form.Body ?? "" };
    sent.push(message);
    const now = rfc2822(new Date());
    answer(201, {
      account_sid: TEST_ACCOUNT_SID,
      api_version: "2010-04-01",
      body: message.body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: message.from,
      messaging_service_sid: message.messagingServiceSid,
      num_media: "0",
      num_segments: message.messagingServiceSid ? "0" : "1",
      price: null,
      price_unit: "USD",
      sid: message.sid,
      status: message.messagingServiceSid ? "accepted" : "queued",
      subresource_uris: { media: `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages/${message.sid}/Media.json` },
      to: message.to,
      uri: `/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages/${message.sid}.json`,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent,
    failNext: (code, times = 1) => failures.push(...Array.from({ length: times }, () => code)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
