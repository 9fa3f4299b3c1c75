import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { sandboxObjects, type AttemptStatus, type InvoiceStatus, type SubscriptionStatus } from "@/drizzle/schema";
import type { Clock } from "@/lib/clock";
import type { DbOrTx } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { ProviderError } from "../errors";

/**
 * The sandbox's own "Stripe test mode" records, one jsonb document per object in
 * sandbox_objects. Shapes follow Stripe's field names (times in unix seconds) so a reader
 * who knows Stripe reads them at once. Every query is filtered by connection: two sandbox
 * connections are two separate accounts.
 */

/** One operation's view of the store: a transaction, the account and the operation's "now". */
export type SandboxScope = { db: DbOrTx; connectionId: string; now: Date };

/** `seq` numbers each kind of object in creation order (many share one clock instant in tests and simulations). */
type Versioned = { id: string; created: number; version: number; seq: number };

export type SandboxCard = { brand: string; last4: string; exp_month: number; exp_year: number; fingerprint: string };

export type SandboxCustomer = Versioned & {
  object: "customer";
  email: string;
  /** Absent on customers created before SMS. */
  phone?: string | null;
  name: string;
  locale: string | null;
  timezone: string | null;
  country: string | null;
  currency: string;
  default_payment_method: string | null;
  delinquent: boolean;
  metadata: Record<string, string>;
};

export type SandboxPaymentMethod = Versioned & {
  object: "payment_method";
  customer: string;
  type: "card";
  token: string;
  card: SandboxCard;
  /** ISO time before which every charge declines with insufficient_funds (a "payday" card). */
  decline_until: string | null;
  status: "active" | "detached";
};

export type SandboxPlan = { name: string; amount: number; currency: string; interval: "month" | "year" };

export type SandboxSubscription = Versioned & {
  object: "subscription";
  customer: string;
  status: SubscriptionStatus;
  plan: SandboxPlan;
  current_period_start: number;
  current_period_end: number;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  start_date: number;
  latest_invoice: string | null;
};

export type SandboxInvoice = Versioned & {
  object: "invoice";
  customer: string;
  subscription: string | null;
  number: string;
  description: string | null;
  status: InvoiceStatus;
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  currency: string;
  attempt_count: number;
  /** The latest invoice-payment charge (what an invoice.payment_* event is about). */
  charge: string | null;
  period_start: number | null;
  period_end: number | null;
  due_date: number | null;
  paid_at: number | null;
};

/** A payment attempt. "invoice" pays an invoice in full; "installment" is a partial amount (chargeAmount). */
export type SandboxCharge = Versioned & {
  object: "charge";
  payment_intent: string;
  purpose: "invoice" | "installment" | "out_of_band";
  customer: string;
  invoice: string | null;
  payment_method: string | null;
  card: { brand: string; fingerprint: string } | null;
  amount: number;
  currency: string;
  status: AttemptStatus;
  failure_code: string | null;
  failure_message: string | null;
  decline_code: string | null;
  advice_code: string | null;
  network_advice_code: string | null;
  network_decline_code: string | null;
  initiated_by: "provider" | "dunwell" | "customer";
  idempotency_key: string | null;
  description: string | null;
  /** 3-D Secure: the charge that succeeded after the customer authenticated this one. */
  authenticated_by: string | null;
};

/** What a sandbox_form reference points at: add a card (setup) or pay an invoice (payment). */
export type SandboxCheckoutSession = Versioned & {
  object: "checkout_session";
  mode: "setup" | "payment";
  customer: string;
  invoice: string | null;
  return_url: string;
  status: "open" | "complete";
  payment_method: string | null;
};

export type SandboxIdempotencyRecord = Versioned & { object: "idempotency_key"; key: string; operation: string; params: string; result: unknown };

export type SandboxEvent = Versioned & {
  object: "event";
  type: string;
  delivered: boolean;
  delivered_at: number | null;
  data: { object: { id: string; object: string } & Record<string, unknown> };
};

type Objects = {
  customer: SandboxCustomer;
  payment_method: SandboxPaymentMethod;
  subscription: SandboxSubscription;
  invoice: SandboxInvoice;
  charge: SandboxCharge;
  checkout_session: SandboxCheckoutSession;
  idempotency_key: SandboxIdempotencyRecord;
  event: SandboxEvent;
};
export type SandboxObjectName = keyof Objects;
export type SandboxObjectOf<O extends SandboxObjectName> = Objects[O];

// The table's kinds are fixed by the schema; sessions and idempotency records are payment
// bookkeeping, so they live with the charges and are told apart by `object`.
const kindOf = { customer: "customer", payment_method: "payment_method", subscription: "subscription", invoice: "invoice", charge: "charge", checkout_session: "charge", idempotency_key: "charge", event: "event" } as const;

export const unixSeconds = (at: Date) => Math.floor(at.getTime() / 1000);
export const fromUnix = (seconds: number | null) => (seconds === null ? null : new Date(seconds * 1000));

const scoped = (scope: SandboxScope, object: SandboxObjectName, id?: string) =>
  and(
    eq(sandboxObjects.connectionId, scope.connectionId),
    eq(sandboxObjects.kind, kindOf[object]),
    sql`${sandboxObjects.data}->>'object' = ${object}`,
    id === undefined ? undefined : eq(sandboxObjects.id, id),
  );

export async function findObject<O extends SandboxObjectName>(scope: SandboxScope, object: O, id: string, options: { lock?: boolean } = {}): Promise<Objects[O] | null> {
  const query = scope.db.select({ data: sandboxObjects.data }).from(sandboxObjects).where(scoped(scope, object, id));
  const [row] = options.lock ? await query.for("update") : await query;
  return (row?.data as Objects[O] | undefined) ?? null;
}

/** The object, or Stripe's 404 (resource_missing): ids from another connection are simply unknown here. */
export async function getObject<O extends SandboxObjectName>(scope: SandboxScope, object: O, id: string, options: { lock?: boolean } = {}): Promise<Objects[O]> {
  const found = await findObject(scope, object, id, options);
  if (!found) throw new ProviderError(`No such ${object.replace("_", " ")}: '${id}'`, "sandbox", 404, false, null, "resource_missing");
  return found;
}

/**
 * Write an object, bumping its version to the operation's time in ms — or one past the
 * previous version, so two changes within one millisecond (a fixed test clock) still order.
 * A new object (seq 0) takes the next number of its kind.
 */
export async function putObject<T extends Objects[SandboxObjectName]>(scope: SandboxScope, value: T): Promise<T> {
  const object = value.object as SandboxObjectName;
  const seq = value.seq > 0 ? value.seq : await lastSeq(scope, object) + 1;
  const stored = { ...value, seq, version: Math.max(scope.now.getTime(), value.version + 1) };
  await scope.db
    .insert(sandboxObjects)
    .values({ connectionId: scope.connectionId, id: stored.id, kind: kindOf[object], data: stored, createdAt: scope.now, updatedAt: scope.now })
    .onConflictDoUpdate({ target: [sandboxObjects.connectionId, sandboxObjects.id], set: { data: stored, updatedAt: scope.now } });
  return stored;
}

async function lastSeq(scope: SandboxScope, object: SandboxObjectName): Promise<number> {
  const [row] = await scope.db.select({ seq: sql<number>`coalesce(max(${numericField("seq")}), 0)::int` }).from(sandboxObjects).where(scoped(scope, object));
  return row?.seq ?? 0;
}

/** A new object's bookkeeping fields; putObject sets the version. */
export const fresh = (scope: SandboxScope, id: string) => ({ id, created: unixSeconds(scope.now), version: 0, seq: 0 });

/** A numeric field of the jsonb document, for ranges in `extra`. */
export const numericField = (name: string) => sql<number>`(${sandboxObjects.data}->>${name}::text)::bigint`;

export type ListOptions<O extends SandboxObjectName> = {
  where?: Partial<Objects[O]>;
  /** Any further condition (see numericField). */
  extra?: SQL;
  descending?: boolean;
  offset?: number;
  limit?: number;
};

/** Objects in creation order (events: emission order); `where` matches top-level fields by jsonb containment. */
export async function listObjects<O extends SandboxObjectName>(scope: SandboxScope, object: O, options: ListOptions<O> = {}): Promise<Objects[O][]> {
  const rows = await scope.db
    .select({ data: sandboxObjects.data })
    .from(sandboxObjects)
    .where(and(scoped(scope, object), options.where ? sql`${sandboxObjects.data} @> ${JSON.stringify(options.where)}::jsonb` : undefined, options.extra))
    .orderBy(...[numericField("seq"), sandboxObjects.id].map(options.descending ? desc : asc))
    .offset(options.offset ?? 0)
    .limit(options.limit ?? 1000);
  return rows.map((r) => r.data as Objects[O]);
}

/** 1, 2, 3 … per kind of object in this account (invoice numbers). */
export async function nextNumber(scope: SandboxScope, object: SandboxObjectName): Promise<number> {
  const [row] = await scope.db.select({ n: sql<number>`count(*)::int` }).from(sandboxObjects).where(scoped(scope, object));
  return (row?.n ?? 0) + 1;
}

/** Record a Stripe-like event with a snapshot of the object as it is now; delivered later. */
export async function recordEvent(scope: SandboxScope, type: string, object: SandboxEvent["data"]["object"]): Promise<SandboxEvent> {
  return putObject<SandboxEvent>(scope, { ...fresh(scope, newId("evt")), object: "event", type, delivered: false, delivered_at: null, data: { object } });
}

/** What an operation needs: the database (or an enclosing transaction), the account and the clock. */
export type SandboxContext = { db: DbOrTx; connectionId: string; clock: Clock };

/** Run one sandbox operation in a transaction (a savepoint inside an enclosing one), with one "now". */
export function inTransaction<T>(ctx: SandboxContext, run: (scope: SandboxScope) => Promise<T>): Promise<T> {
  const now = ctx.clock.now();
  return ctx.db.transaction((tx) => run({ db: tx, connectionId: ctx.connectionId, now }));
}

/**
 * Stripe's idempotency: the first request with a key runs and its result is stored under the
 * key (in the same transaction, so a crash stores nothing and the retry runs again); later
 * requests with the key get the stored result. Reusing a key for another request is refused.
 */
export async function withIdempotency<T>(ctx: SandboxContext, operation: string, key: string, params: unknown, run: (scope: SandboxScope) => Promise<T>): Promise<T> {
  const fingerprint = JSON.stringify(params);
  return inTransaction(ctx, async (scope) => {
    const id = `idem_${key}`;
    const record = { ...fresh(scope, id), version: scope.now.getTime(), seq: await lastSeq(scope, "idempotency_key") + 1, object: "idempotency_key" as const, key, operation, params: fingerprint, result: null as unknown };
    // Insert-or-nothing: a concurrent request with the same key waits here until the first commits.
    const claimed = await scope.db
      .insert(sandboxObjects)
      .values({ connectionId: scope.connectionId, id, kind: kindOf.idempotency_key, data: record, createdAt: scope.now, updatedAt: scope.now })
      .onConflictDoNothing({ target: [sandboxObjects.connectionId, sandboxObjects.id] })
      .returning({ id: sandboxObjects.id });
    if (claimed.length === 0) {
      const existing = await getObject(scope, "idempotency_key", id);
      if (existing.operation !== operation || existing.params !== fingerprint) {
        throw new ProviderError(`Idempotency key '${key}' was already used for a different request.`, "sandbox", 400, false, null, "idempotency_key_in_use");
      }
      return existing.result as T;
    }
    const result = await run(scope);
    await putObject(scope, { ...record, result });
    return result;
  });
}
