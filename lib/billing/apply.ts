import { customers, invoices, subscriptions } from "@/drizzle/schema";
import { systemClock, type Clock } from "@/lib/clock";
import type { DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { idOf, upsertCustomer, upsertInvoice, upsertPaymentAttempt, upsertPaymentMethod, upsertSubscription, type Scope } from "./store";
import type { NormalizedEvent } from "./types";

/** Ids of the rows an event touched, for listeners (the engine opens and closes cases from these). */
export type AppliedIds = { customerId?: string; subscriptionId?: string | null; invoiceId?: string | null; paymentMethodId?: string; attemptId?: string };
export type BillingListener = (tx: DbOrTx, applied: { scope: Scope; event: NormalizedEvent; ids: AppliedIds; clock: Clock }) => Promise<void>;

async function customerIdFor(tx: DbOrTx, scope: Scope, externalId: string): Promise<string> {
  const id = await idOf(tx, customers, scope, externalId);
  if (!id) throw new AppError("not_found", `Customer ${externalId} is unknown and the provider did not return it.`);
  return id;
}

/** Apply events in order in one transaction; the first `parentsCount` are fetched parents (no listeners). */
export async function applyNormalizedEvents(
  tx: DbOrTx,
  scope: Scope,
  events: NormalizedEvent[],
  listeners: readonly BillingListener[],
  options: { parentsCount?: number; clock?: Clock } = {},
): Promise<void> {
  for (const [index, event] of events.entries()) {
    const ids: AppliedIds = {};
    if (event.customer) ids.customerId = await upsertCustomer(tx, scope, event.customer);
    if (event.subscription) {
      const customerId = await customerIdFor(tx, scope, event.subscription.customerExternalId);
      ids.subscriptionId = await upsertSubscription(tx, scope, event.subscription, customerId);
      ids.customerId ??= customerId;
    }
    if (event.invoice) {
      const customerId = await customerIdFor(tx, scope, event.invoice.customerExternalId);
      const subscriptionId = event.invoice.subscriptionExternalId ? await idOf(tx, subscriptions, scope, event.invoice.subscriptionExternalId) : null;
      ids.invoiceId = await upsertInvoice(tx, scope, event.invoice, { customerId, subscriptionId });
      ids.customerId ??= customerId;
      ids.subscriptionId ??= subscriptionId;
    }
    if (event.paymentMethod) {
      const customerId = await customerIdFor(tx, scope, event.paymentMethod.customerExternalId);
      ids.paymentMethodId = await upsertPaymentMethod(tx, scope, event.paymentMethod, customerId);
      ids.customerId ??= customerId;
    }
    if (event.attempt) {
      const customerId = await customerIdFor(tx, scope, event.attempt.customerExternalId);
      const invoiceId = event.attempt.invoiceExternalId ? await idOf(tx, invoices, scope, event.attempt.invoiceExternalId) : null;
      ids.attemptId = await upsertPaymentAttempt(tx, scope, event.attempt, { customerId, invoiceId });
      ids.customerId ??= customerId;
      ids.invoiceId ??= invoiceId;
    }
    if (index >= (options.parentsCount ?? 0)) for (const listener of listeners) await listener(tx, { scope, event, ids, clock: options.clock ?? systemClock });
  }
}
