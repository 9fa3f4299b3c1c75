import type { Customer, Invoice, Subscription } from "chargebee";
import { describe, expect, it } from "vitest";
import { sdkConfig } from "@/lib/billing/chargebee/client";
import { mapCustomer, mapInvoice, mapSubscription, versionOf } from "@/lib/billing/chargebee/map";
import { cbFixtures } from "@/tests/helpers/chargebee-events";

const subscription = (patch: Record<string, unknown>) => ({ ...cbFixtures.subscription(), ...patch }) as unknown as Subscription;

describe("Chargebee mappers", () => {
  it("takes MRR from `mrr` when Chargebee reports it, else from the plan item per month", () => {
    expect(mapSubscription(subscription({ mrr: 4321 })).mrrMinor).toBe(4321);
    const yearly = { item_price_id: "growth-EUR-Yearly", item_type: "plan", quantity: 3, unit_price: 49_000, amount: 147_000, billing_period: 1, billing_period_unit: "year" };
    expect(mapSubscription(subscription({ mrr: undefined, subscription_items: [yearly] })).mrrMinor).toBe(12_250);
    const quarterly = { ...yearly, amount: 14_700, billing_period: 3, billing_period_unit: "month" };
    expect(mapSubscription(subscription({ mrr: undefined, subscription_items: [quarterly] })).mrrMinor).toBe(4900);
  });

  it("maps subscription states, an active one with unpaid invoices being past due", () => {
    expect(mapSubscription(subscription({ status: "in_trial", due_invoices_count: 0 })).status).toBe("trialing");
    expect(mapSubscription(subscription({ status: "active", due_invoices_count: 0 })).status).toBe("active");
    expect(mapSubscription(subscription({ status: "active", due_invoices_count: 2 })).status).toBe("past_due");
    expect(mapSubscription(subscription({ status: "future" })).status).toBe("other");
  });

  it("maps invoice states: payment_due, not_paid and posted are open; pending is draft", () => {
    const invoice = (patch: Record<string, unknown>) => mapInvoice({ ...cbFixtures.invoice(), ...patch } as unknown as Invoice);
    expect(invoice({ status: "not_paid" }).status).toBe("open");
    expect(invoice({ status: "posted" }).status).toBe("open");
    expect(invoice({ status: "pending" }).status).toBe("draft");
    expect(invoice({ status: "voided" }).status).toBe("void");
    expect(invoice({ status: "paid", amount_paid: 5880, amount_due: 0, paid_at: 1741089602 })).toMatchObject({ status: "paid", amountDue: 5880, amountRemaining: 0 });
    expect(invoice({ currency_code: "JPY" }).currency).toBe("jpy");
  });

  it("names a customer from first and last name, else the company", () => {
    const customer = (patch: Record<string, unknown>) => mapCustomer({ ...cbFixtures.customer(), ...patch } as unknown as Customer);
    expect(customer({}).name).toBe("Camille Durand");
    expect(customer({ first_name: undefined, last_name: undefined }).name).toBe("Atelier Durand");
    expect(customer({ preferred_currency_code: undefined }).currency).toBeNull();
  });

  it("uses resource_version, falling back to updated_at in ms", () => {
    expect(versionOf({ resource_version: 1740830402233, updated_at: 1 })).toBe(1740830402233);
    expect(versionOf({ updated_at: 1740830402 })).toBe(1740830402000);
    expect(versionOf({})).toBe(0);
  });
});

describe("Chargebee SDK configuration", () => {
  const credentials = { provider: "chargebee" as const, site: "acme", apiKey: "live_key", webhookUsername: "u", webhookPassword: "p" };

  it("talks to https://<site>.chargebee.com by default, with SDK retries off", () => {
    expect(sdkConfig(credentials, null)).toMatchObject({ site: "acme", apiKey: "live_key", retryConfig: { enabled: false } });
    expect(sdkConfig(credentials, null)).not.toHaveProperty("hostSuffix");
  });

  it("points the SDK at apiBase: host as suffix with an empty site, protocol and port from the URL", () => {
    expect(sdkConfig(credentials, "http://127.0.0.1:12112")).toMatchObject({ site: "", hostSuffix: "127.0.0.1", protocol: "http", port: 12112 });
    expect(sdkConfig(credentials, "https://acme-test.chargebee.com")).toMatchObject({ site: "", hostSuffix: "acme-test.chargebee.com", protocol: "https", port: 443 });
  });
});
