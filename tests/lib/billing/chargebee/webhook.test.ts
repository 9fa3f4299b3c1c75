import { describe, expect, it } from "vitest";
import { createChargebeeProvider } from "@/lib/billing/chargebee";
import { WebhookRejected } from "@/lib/billing/errors";
import type { ChargebeeCredentials } from "@/lib/billing/types";
import { fixedClock } from "@/lib/clock";
import type { Db } from "@/lib/db/client";
import { chargebeeEvent, chargebeeWebhookRequest, contentFor } from "@/tests/helpers/chargebee-events";

const credentials: ChargebeeCredentials = {
  provider: "chargebee",
  site: "dunwell-demo-test",
  apiKey: "test_cbkey_webhook",
  webhookUsername: "dunwell-hooks",
  webhookPassword: "s3cret-webhook-pass",
};
// verifyWebhook is pure: no database and no API call are involved.
const provider = createChargebeeProvider({
  connectionId: "con_webhook_test",
  workspaceId: "ws_test",
  apiBase: "http://127.0.0.1:9",
  settings: {},
  credentials,
  db: undefined as unknown as Db,
  clock: fixedClock("2025-03-01T12:00:05Z"),
});
const right = { username: credentials.webhookUsername, password: credentials.webhookPassword };

function rejection(run: () => unknown): WebhookRejected {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookRejected) return error;
    throw error;
  }
  throw new Error("expected the webhook to be rejected");
}

describe("Chargebee verifyWebhook", () => {
  it("accepts the configured Basic credentials and reads id, type and time from the event", () => {
    const event = chargebeeEvent("payment_failed", contentFor("payment_failed"), { id: "ev_AzZlGJUVm3Q2c1KcP", occurredAt: new Date("2025-03-01T12:00:03Z") });
    const verified = provider.verifyWebhook(chargebeeWebhookRequest(event, right));
    expect(verified.providerEventId).toBe("ev_AzZlGJUVm3Q2c1KcP");
    expect(verified.type).toBe("payment_failed");
    expect(verified.occurredAt.toISOString()).toBe("2025-03-01T12:00:03.000Z");
    expect((verified.payload as { content: { invoice: { id: string } } }).content.invoice.id).toBe("INV-2025-0311");
  });

  it("rejects a wrong password with 401", () => {
    const event = chargebeeEvent("payment_failed", contentFor("payment_failed"));
    const error = rejection(() => provider.verifyWebhook(chargebeeWebhookRequest(event, { ...right, password: "s3cret-webhook-pasS" })));
    expect(error.httpStatus).toBe(401);
    expect(error.code).toBe("unauthenticated");
  });

  it("rejects a wrong username with 401 even when the password is right", () => {
    const event = chargebeeEvent("payment_failed", contentFor("payment_failed"));
    expect(rejection(() => provider.verifyWebhook(chargebeeWebhookRequest(event, { ...right, username: "someone-else" }))).httpStatus).toBe(401);
  });

  it("rejects a request without an Authorization header, or with another scheme, with 401", () => {
    const event = chargebeeEvent("payment_failed", contentFor("payment_failed"));
    expect(rejection(() => provider.verifyWebhook(chargebeeWebhookRequest(event, null))).httpStatus).toBe(401);
    const bearer = chargebeeWebhookRequest(event, null);
    bearer.headers.set("authorization", `Bearer ${credentials.webhookPassword}`);
    expect(rejection(() => provider.verifyWebhook(bearer)).httpStatus).toBe(401);
  });

  it("checks credentials before the body: a malformed body from a stranger is a 401, not a 400", () => {
    expect(rejection(() => provider.verifyWebhook(chargebeeWebhookRequest("{not json", null))).httpStatus).toBe(401);
  });

  it("rejects a malformed body with 400", () => {
    const error = rejection(() => provider.verifyWebhook(chargebeeWebhookRequest("{not json", right)));
    expect(error.httpStatus).toBe(400);
    expect(error.code).toBe("invalid_input");
  });

  it("rejects JSON that is not an event (no id or no event_type) with 400", () => {
    const event = chargebeeEvent("payment_failed", contentFor("payment_failed"));
    const { id: _id, ...withoutId } = event;
    const { event_type: _type, ...withoutType } = event;
    expect(rejection(() => provider.verifyWebhook(chargebeeWebhookRequest(JSON.stringify(withoutId), right))).httpStatus).toBe(400);
    expect(rejection(() => provider.verifyWebhook(chargebeeWebhookRequest(JSON.stringify(withoutType), right))).httpStatus).toBe(400);
    expect(rejection(() => provider.verifyWebhook(chargebeeWebhookRequest("[]", right))).httpStatus).toBe(400);
  });

  it("never accepts empty credentials, even when the connection has none configured", () => {
    const unconfigured = createChargebeeProvider({
      connectionId: "con_webhook_unconfigured",
      workspaceId: "ws_test",
      apiBase: null,
      settings: {},
      credentials: { ...credentials, webhookUsername: "", webhookPassword: "" },
      db: undefined as unknown as Db,
      clock: fixedClock("2025-03-01T12:00:05Z"),
    });
    const event = chargebeeEvent("payment_failed", contentFor("payment_failed"));
    expect(rejection(() => unconfigured.verifyWebhook(chargebeeWebhookRequest(event, { username: "", password: "" }))).httpStatus).toBe(401);
  });
});
