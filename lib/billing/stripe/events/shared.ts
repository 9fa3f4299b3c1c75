import type Stripe from "stripe";
import type { BillingEventType, NormalizedEvent, ProviderInvoice, ProviderSubscription } from "@/lib/billing/types";
import { mapInvoice, mapSubscription } from "../map";
import type { AttemptWanted, StripeReader } from "../read";

/** What a handler gets: the verified event, fresh reads, and the version its own snapshot carries. */
export type StripeEventContext = {
  event: Stripe.Event;
  read: StripeReader;
  occurredAt: Date;
  /** The event's `created` in ms: older than any fresh read, so a snapshot never overwrites one. */
  snapshotVersion: number;
};

export type StripeEventHandler = (ctx: StripeEventContext) => Promise<NormalizedEvent[]>;

export const snapshotOf = <T>(ctx: StripeEventContext): T => ctx.event.data.object as unknown as T;
export const previousAttributes = (ctx: StripeEventContext): Record<string, unknown> =>
  (ctx.event.data.previous_attributes as Record<string, unknown> | undefined) ?? {};

/** The invoice as Stripe has it now; the event's copy only when Stripe no longer has it. */
export async function currentInvoice(ctx: StripeEventContext): Promise<{ invoice: ProviderInvoice; fresh: boolean }> {
  const snapshot = snapshotOf<Stripe.Invoice>(ctx);
  const invoice = await ctx.read.invoice(snapshot.id);
  return invoice ? { invoice, fresh: true } : { invoice: mapInvoice(snapshot, ctx.snapshotVersion), fresh: false };
}

export async function currentSubscription(ctx: StripeEventContext): Promise<ProviderSubscription> {
  const snapshot = snapshotOf<Stripe.Subscription>(ctx);
  return (await ctx.read.subscription(snapshot.id)) ?? mapSubscription(snapshot, ctx.snapshotVersion);
}

/** An invoice event that says only what happened to the invoice. */
export const invoiceEvent =
  (type: BillingEventType): StripeEventHandler =>
  async (ctx) => {
    const { invoice } = await currentInvoice(ctx);
    return [{ type, occurredAt: ctx.occurredAt, invoice }];
  };

/** An invoice event about a payment attempt: the invoice now, plus the attempt the event reports. */
export const invoiceAttemptEvent =
  (type: BillingEventType, status: NonNullable<AttemptWanted["status"]>): StripeEventHandler =>
  async (ctx) => {
    const { invoice, fresh } = await currentInvoice(ctx);
    const attempt = fresh
      ? await ctx.read.invoiceAttempt(invoice, { status, before: ctx.event.created }, { initiatedBy: "provider", idempotencyKey: null })
      : null;
    return [{ type, occurredAt: ctx.occurredAt, invoice, ...(attempt ? { attempt } : {}) }];
  };

export const subscriptionEvent =
  (type: BillingEventType): StripeEventHandler =>
  async (ctx) => [{ type, occurredAt: ctx.occurredAt, subscription: await currentSubscription(ctx) }];
