import type { Card, Customer, Invoice, PaymentSource, Subscription, Transaction } from "chargebee";
import { call, type ChargebeeClient } from "@/lib/billing/chargebee/client";
import { hasVersion, mapCustomer, mapInvoice, mapSubscription } from "@/lib/billing/chargebee/map";
import type { NormalizedEvent, ProviderCustomer, ProviderInvoice, ProviderSubscription } from "@/lib/billing/types";

/** The resources a Chargebee event's `content` may carry (each with its resource_version). */
export type ChargebeeContent = {
  customer?: Customer;
  subscription?: Subscription;
  invoice?: Invoice;
  transaction?: Transaction;
  payment_source?: PaymentSource;
  card?: Card;
};

/**
 * A snapshot with a resource_version is used as is: the store compares versions, so an old
 * one cannot overwrite a newer row. Without a version the snapshot's age is unknown, so the
 * current object is fetched. Deleted objects cannot be fetched; their snapshot is final.
 */
export type Resolver = {
  customer(snapshot: Customer | undefined): Promise<Customer | undefined>;
  subscription(snapshot: Subscription | undefined): Promise<Subscription | undefined>;
  invoice(snapshot: Invoice | undefined): Promise<Invoice | undefined>;
  transaction(snapshot: Transaction | undefined): Promise<Transaction | undefined>;
  paymentSource(snapshot: PaymentSource | undefined): Promise<PaymentSource | undefined>;
};

type Versioned = { resource_version?: number; deleted?: boolean };

async function current<T extends Versioned>(snapshot: T | undefined, fetch: () => Promise<T>): Promise<T | undefined> {
  if (!snapshot) return undefined;
  if (hasVersion(snapshot) || snapshot.deleted) return snapshot;
  return call(fetch);
}

export function snapshotResolver(client: ChargebeeClient): Resolver {
  return {
    customer: (s) => current(s, async () => (await client.customer.retrieve(s!.id)).customer),
    subscription: (s) => current(s, async () => (await client.subscription.retrieve(s!.id)).subscription),
    invoice: (s) => current(s, async () => (await client.invoice.retrieve(s!.id)).invoice),
    transaction: (s) => current(s, async () => (await client.transaction.retrieve(s!.id)).transaction),
    paymentSource: (s) => current(s, async () => (await client.paymentSource.retrieve(s!.id)).payment_source),
  };
}

export type EventInput = { occurredAt: Date; content: ChargebeeContent; resolve: Resolver };
export type ChargebeeEventHandler = (input: EventInput) => Promise<NormalizedEvent[]>;

export type BillingObjects = {
  customer?: ProviderCustomer;
  subscription?: ProviderSubscription;
  invoice?: ProviderInvoice;
  /** The customer as Chargebee sent it, for its primary payment source. */
  rawCustomer?: Customer;
};

/** Customer, subscription and invoice of an event, current and in Dunwell's words. */
export async function billingObjects({ content, resolve }: EventInput): Promise<BillingObjects> {
  const [customer, subscription, invoice] = await Promise.all([
    resolve.customer(content.customer),
    resolve.subscription(content.subscription),
    resolve.invoice(content.invoice),
  ]);
  return {
    customer: customer && mapCustomer(customer),
    subscription: subscription && mapSubscription(subscription),
    invoice: invoice && mapInvoice(invoice),
    rawCustomer: customer,
  };
}

/** What an invoice's new state means: paid, voided, written off, or just changed. */
export function invoiceEventType(invoice: ProviderInvoice): NormalizedEvent["type"] {
  switch (invoice.status) {
    case "paid":
      return "invoice.paid";
    case "void":
      return "invoice.voided";
    case "uncollectible":
      return "invoice.uncollectible";
    default:
      return "invoice.updated";
  }
}
