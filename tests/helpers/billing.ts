import { connections } from "@/drizzle/schema";
import type { ProviderCustomer, ProviderInvoice, ProviderPaymentAttempt, ProviderPaymentMethod } from "@/lib/billing/types";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { makeWorkspace } from "./factories";

/** A bare connection row (no usable credentials) for store-level tests. */
export async function makeScope(provider: "stripe" | "chargebee" | "sandbox" = "sandbox") {
  const db = await getDb();
  const ws = await makeWorkspace();
  const id = newId("con");
  await db.insert(connections).values({ id, workspaceId: ws.id, provider, name: "Test", secretsCiphertext: "unused" });
  return { workspaceId: ws.id, connectionId: id };
}

export const customerSnapshot = (over: Partial<ProviderCustomer> = {}): ProviderCustomer => ({
  externalId: "cus_1",
  email: "ana@example.com",
  phone: null,
  name: "Ana",
  locale: "de",
  timezone: "Europe/Berlin",
  country: "DE",
  currency: "eur",
  delinquent: false,
  metadata: {},
  version: 1,
  ...over,
});

export const invoiceSnapshot = (over: Partial<ProviderInvoice> = {}): ProviderInvoice => ({
  externalId: "in_1",
  customerExternalId: "cus_1",
  subscriptionExternalId: null,
  number: "INV-0001",
  description: null,
  status: "open",
  amountDue: 4900,
  amountPaid: 0,
  amountRemaining: 4900,
  currency: "eur",
  dueAt: null,
  nextPaymentAttemptAt: null,
  attemptCount: 1,
  providerDunningStatus: null,
  hostedUrl: null,
  issuedAt: new Date("2026-11-01T00:00:00Z"),
  paidAt: null,
  version: 1,
  ...over,
});

export const cardSnapshot = (over: Partial<ProviderPaymentMethod> = {}): ProviderPaymentMethod => ({
  externalId: "pm_1",
  customerExternalId: "cus_1",
  type: "card",
  brand: "visa",
  last4: "4242",
  expMonth: 12,
  expYear: 2030,
  fingerprint: "fp_1",
  isDefault: true,
  status: "active",
  version: 1,
  ...over,
});

export const attemptSnapshot = (over: Partial<ProviderPaymentAttempt> = {}): ProviderPaymentAttempt => ({
  externalId: "ch_1",
  customerExternalId: "cus_1",
  invoiceExternalId: "in_1",
  paymentMethodExternalId: "pm_1",
  cardFingerprint: "fp_1",
  cardBrand: "visa",
  amount: 4900,
  currency: "eur",
  status: "failed",
  declineCode: "insufficient_funds",
  failureCode: "card_declined",
  failureMessage: "Your card has insufficient funds.",
  adviceCode: "try_again_later",
  networkAdviceCode: null,
  networkDeclineCode: "51",
  initiatedBy: "provider",
  idempotencyKey: null,
  attemptedAt: new Date("2026-11-02T09:00:00Z"),
  ...over,
});
