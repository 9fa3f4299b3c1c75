import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { customers, invoices, paymentAttempts, paymentMethods, subscriptions } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import type {
  NormalizedEvent,
  ProviderCustomer,
  ProviderInvoice,
  ProviderPaymentAttempt,
  ProviderPaymentMethod,
  ProviderSubscription,
} from "./types";

/**
 * Dunwell's copy of the provider's records. Every upsert is keyed by (connection, external
 * id) and guarded by the object's version: an older snapshot never overwrites a newer one,
 * so events may arrive twice or out of order and the end state is the same.
 */

export type Scope = { workspaceId: string; connectionId: string };

const newer = (table: { providerVersion: unknown }) => sql`excluded.provider_version >= ${table.providerVersion}`;

export async function upsertCustomer(db: DbOrTx, scope: Scope, c: ProviderCustomer): Promise<string> {
  const values = {
    email: c.email,
    phone: c.phone,
    name: c.name,
    locale: c.locale,
    timezone: c.timezone,
    country: c.country,
    currency: c.currency,
    delinquent: c.delinquent,
    metadata: c.metadata,
    providerVersion: c.version,
    updatedAt: new Date(),
  };
  await db
    .insert(customers)
    .values({ id: newId("cus"), ...scope, externalId: c.externalId, ...values })
    .onConflictDoUpdate({ target: [customers.connectionId, customers.externalId], set: values, setWhere: newer(customers) });
  return (await idOf(db, customers, scope, c.externalId))!;
}

export async function upsertSubscription(db: DbOrTx, scope: Scope, s: ProviderSubscription, customerId: string): Promise<string> {
  const values = {
    customerId,
    status: s.status,
    planName: s.planName,
    mrrMinor: s.mrrMinor,
    currency: s.currency,
    currentPeriodEnd: s.currentPeriodEnd,
    cancelAtPeriodEnd: s.cancelAtPeriodEnd,
    startedAt: s.startedAt,
    providerVersion: s.version,
    updatedAt: new Date(),
  };
  await db
    .insert(subscriptions)
    .values({ id: newId("sub"), ...scope, externalId: s.externalId, ...values })
    .onConflictDoUpdate({ target: [subscriptions.connectionId, subscriptions.externalId], set: values, setWhere: newer(subscriptions) });
  return (await idOf(db, subscriptions, scope, s.externalId))!;
}

export async function upsertInvoice(db: DbOrTx, scope: Scope, i: ProviderInvoice, refs: { customerId: string; subscriptionId: string | null }): Promise<string> {
  const values = {
    ...refs,
    number: i.number,
    description: i.description,
    status: i.status,
    amountDue: i.amountDue,
    amountPaid: i.amountPaid,
    amountRemaining: i.amountRemaining,
    currency: i.currency,
    dueAt: i.dueAt,
    nextPaymentAttemptAt: i.nextPaymentAttemptAt,
    attemptCount: i.attemptCount,
    providerDunningStatus: i.providerDunningStatus,
    hostedUrl: i.hostedUrl,
    issuedAt: i.issuedAt,
    paidAt: i.paidAt,
    providerVersion: i.version,
    updatedAt: new Date(),
  };
  await db
    .insert(invoices)
    .values({ id: newId("inv"), ...scope, externalId: i.externalId, ...values })
    .onConflictDoUpdate({ target: [invoices.connectionId, invoices.externalId], set: values, setWhere: newer(invoices) });
  return (await idOf(db, invoices, scope, i.externalId))!;
}

export async function upsertPaymentMethod(db: DbOrTx, scope: Scope, m: ProviderPaymentMethod, customerId: string): Promise<string> {
  const values = {
    customerId,
    type: m.type,
    brand: m.brand,
    last4: m.last4,
    expMonth: m.expMonth,
    expYear: m.expYear,
    fingerprint: m.fingerprint,
    isDefault: m.isDefault,
    status: m.status,
    providerVersion: m.version,
    updatedAt: new Date(),
  };
  const written = await db
    .insert(paymentMethods)
    .values({ id: newId("pm"), ...scope, externalId: m.externalId, ...values })
    .onConflictDoUpdate({ target: [paymentMethods.connectionId, paymentMethods.externalId], set: values, setWhere: newer(paymentMethods) })
    .returning({ id: paymentMethods.id });
  const id = written[0]?.id ?? (await idOf(db, paymentMethods, scope, m.externalId))!;
  // One default per customer: the newest default wins.
  if (written.length > 0 && m.isDefault) {
    await db
      .update(paymentMethods)
      .set({ isDefault: false, updatedAt: new Date() })
      .where(and(eq(paymentMethods.customerId, customerId), ne(paymentMethods.id, id), sql`${paymentMethods.providerVersion} <= ${m.version}`));
  }
  return id;
}

export async function upsertPaymentAttempt(
  db: DbOrTx,
  scope: Scope,
  a: ProviderPaymentAttempt,
  refs: { customerId: string; invoiceId: string | null },
): Promise<string> {
  const values = {
    ...refs,
    paymentMethodExternalId: a.paymentMethodExternalId,
    cardFingerprint: a.cardFingerprint,
    cardBrand: a.cardBrand,
    amount: a.amount,
    currency: a.currency,
    status: a.status,
    declineCode: a.declineCode,
    failureCode: a.failureCode,
    failureMessage: a.failureMessage,
    adviceCode: a.adviceCode,
    networkAdviceCode: a.networkAdviceCode,
    networkDeclineCode: a.networkDeclineCode,
    attemptedAt: a.attemptedAt,
    updatedAt: new Date(),
  };
  await db
    .insert(paymentAttempts)
    .values({ id: newId("pa"), ...scope, externalId: a.externalId, initiatedBy: a.initiatedBy, idempotencyKey: a.idempotencyKey, ...values })
    // An attempt only moves forward (pending → final); who initiated it and the key never change.
    .onConflictDoUpdate({ target: [paymentAttempts.connectionId, paymentAttempts.externalId], set: values, setWhere: sql`${paymentAttempts.status} = 'pending' or ${paymentAttempts.status} = excluded.status` });
  return (await idOf(db, paymentAttempts, scope, a.externalId))!;
}

type Keyed = typeof customers | typeof subscriptions | typeof invoices | typeof paymentMethods | typeof paymentAttempts;

export async function idOf(db: DbOrTx, table: Keyed, scope: Scope, externalId: string): Promise<string | null> {
  const [row] = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.workspaceId, scope.workspaceId), eq(table.connectionId, scope.connectionId), eq(table.externalId, externalId)));
  return row?.id ?? null;
}

/** External ids that an event refers to but that Dunwell does not hold yet. */
export async function missingParents(db: DbOrTx, scope: Scope, events: NormalizedEvent[]) {
  const wanted = { customers: new Set<string>(), subscriptions: new Set<string>(), invoices: new Set<string>() };
  const given = { customers: new Set<string>(), subscriptions: new Set<string>(), invoices: new Set<string>() };
  for (const e of events) {
    if (e.customer) given.customers.add(e.customer.externalId);
    if (e.subscription) given.subscriptions.add(e.subscription.externalId);
    if (e.invoice) given.invoices.add(e.invoice.externalId);
    for (const ref of [e.subscription?.customerExternalId, e.invoice?.customerExternalId, e.paymentMethod?.customerExternalId, e.attempt?.customerExternalId]) {
      if (ref) wanted.customers.add(ref);
    }
    if (e.invoice?.subscriptionExternalId) wanted.subscriptions.add(e.invoice.subscriptionExternalId);
    if (e.attempt?.invoiceExternalId) wanted.invoices.add(e.attempt.invoiceExternalId);
  }
  const absent = async (table: Keyed, ids: Set<string>, have: Set<string>) => {
    const needed = [...ids].filter((id) => !have.has(id));
    if (needed.length === 0) return [];
    const rows = await db
      .select({ externalId: table.externalId })
      .from(table)
      .where(and(eq(table.connectionId, scope.connectionId), inArray(table.externalId, needed)));
    const known = new Set(rows.map((r) => r.externalId));
    return needed.filter((id) => !known.has(id));
  };
  return {
    customers: await absent(customers, wanted.customers, given.customers),
    subscriptions: await absent(subscriptions, wanted.subscriptions, given.subscriptions),
    invoices: await absent(invoices, wanted.invoices, given.invoices),
  };
}
