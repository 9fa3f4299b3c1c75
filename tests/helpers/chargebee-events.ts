import { randomBytes } from "node:crypto";
import card from "@/tests/fixtures/chargebee/card.json";
import customer from "@/tests/fixtures/chargebee/customer.json";
import invoice from "@/tests/fixtures/chargebee/invoice.json";
import paymentSource from "@/tests/fixtures/chargebee/payment-source.json";
import subscription from "@/tests/fixtures/chargebee/subscription.json";
import failedTransaction from "@/tests/fixtures/chargebee/transaction-failed.json";
import succeededTransaction from "@/tests/fixtures/chargebee/transaction-success.json";
import type { WebhookRequest } from "@/lib/billing/types";

/**
 * Chargebee webhook requests as Chargebee sends them: the event JSON as the body and the
 * webhook's HTTP Basic credentials in Authorization. Content is built from the fixtures.
 */

type Json = Record<string, unknown>;

export const cbFixtures = {
  card: () => structuredClone(card) as Json,
  customer: () => structuredClone(customer) as Json,
  invoice: () => structuredClone(invoice) as Json,
  paymentSource: () => structuredClone(paymentSource) as Json,
  subscription: () => structuredClone(subscription) as Json,
  failedTransaction: () => structuredClone(failedTransaction) as Json,
  succeededTransaction: () => structuredClone(succeededTransaction) as Json,
};

export type ChargebeeEvent = { id: string; occurred_at: number; event_type: string; content: Json } & Json;

export function chargebeeEvent(eventType: string, content: Json, options: { id?: string; occurredAt?: Date; source?: string } = {}): ChargebeeEvent {
  return {
    id: options.id ?? `ev_${randomBytes(8).toString("base64url")}`,
    occurred_at: Math.floor((options.occurredAt ?? new Date("2025-03-01T12:00:03Z")).getTime() / 1000),
    source: options.source ?? "scheduled_job",
    object: "event",
    api_version: "v2",
    webhook_status: "scheduled",
    event_type: eventType,
    content,
  };
}

/** The content Chargebee sends for each event type Dunwell handles, from the fixtures. */
export function contentFor(eventType: string): Json {
  const f = cbFixtures;
  switch (eventType) {
    case "payment_failed":
      return { transaction: f.failedTransaction(), invoice: f.invoice(), customer: f.customer(), subscription: f.subscription(), card: f.card() };
    case "payment_succeeded": {
      const paid = { ...f.invoice(), status: "paid", amount_paid: 5880, amount_due: 0, amount_to_collect: 0, paid_at: 1741089602, dunning_status: "success", next_retry_at: undefined, resource_version: 1741089602400 };
      return { transaction: f.succeededTransaction(), invoice: paid, customer: f.customer(), subscription: f.subscription(), card: f.card() };
    }
    case "invoice_updated":
    case "invoice_deleted":
    case "dunning_updated":
      return { invoice: f.invoice() };
    case "subscription_changed":
    case "subscription_cancelled":
    case "subscription_paused":
    case "subscription_resumed":
      return { subscription: f.subscription(), customer: f.customer(), card: f.card() };
    case "payment_source_added":
    case "payment_source_updated":
    case "payment_source_deleted":
    case "payment_source_expiring":
      return { customer: f.customer(), payment_source: f.paymentSource() };
    case "card_expiry_reminder":
      return { customer: f.customer(), card: f.card() };
    case "customer_changed":
      return { customer: f.customer(), card: f.card() };
    default:
      return { customer: f.customer() };
  }
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}

export function chargebeeWebhookRequest(
  body: ChargebeeEvent | string,
  auth: { username: string; password: string } | null,
  now = new Date("2025-03-01T12:00:05Z"),
): WebhookRequest {
  const headers = new Headers({ "content-type": "application/json" });
  if (auth) headers.set("authorization", basicAuth(auth.username, auth.password));
  return { headers, rawBody: typeof body === "string" ? body : JSON.stringify(body), now };
}
