import { chargeFailed } from "./charge-failed";
import { customerSourceExpiring } from "./customer-source-expiring";
import { customerSubscriptionDeleted } from "./customer-subscription-deleted";
import { customerSubscriptionPaused } from "./customer-subscription-paused";
import { customerSubscriptionUpdated } from "./customer-subscription-updated";
import { customerUpdated } from "./customer-updated";
import { invoiceMarkedUncollectible } from "./invoice-marked-uncollectible";
import { invoicePaid } from "./invoice-paid";
import { invoicePaymentActionRequired } from "./invoice-payment-action-required";
import { invoicePaymentFailed } from "./invoice-payment-failed";
import { invoicePaymentSucceeded } from "./invoice-payment-succeeded";
import { invoiceUpdated } from "./invoice-updated";
import { invoiceVoided } from "./invoice-voided";
import { paymentIntentPaymentFailed } from "./payment-intent-payment-failed";
import { paymentMethodAttached } from "./payment-method-attached";
import { paymentMethodDetached } from "./payment-method-detached";
import { paymentMethodUpdated } from "./payment-method-updated";
import type { StripeEventHandler } from "./shared";

export type { StripeEventContext, StripeEventHandler } from "./shared";

/** Stripe event type → its handler. Types not listed are stored as "ignored". */
export const stripeEventHandlers: Readonly<Record<string, StripeEventHandler>> = {
  "invoice.payment_failed": invoicePaymentFailed,
  "invoice.payment_succeeded": invoicePaymentSucceeded,
  "invoice.paid": invoicePaid,
  "invoice.voided": invoiceVoided,
  "invoice.marked_uncollectible": invoiceMarkedUncollectible,
  "invoice.updated": invoiceUpdated,
  "invoice.payment_action_required": invoicePaymentActionRequired,
  "customer.subscription.updated": customerSubscriptionUpdated,
  "customer.subscription.deleted": customerSubscriptionDeleted,
  "customer.subscription.paused": customerSubscriptionPaused,
  "payment_method.attached": paymentMethodAttached,
  "payment_method.updated": paymentMethodUpdated,
  "payment_method.detached": paymentMethodDetached,
  "customer.source.expiring": customerSourceExpiring,
  "customer.updated": customerUpdated,
  "payment_intent.payment_failed": paymentIntentPaymentFailed,
  "charge.failed": chargeFailed,
};

/** The events Dunwell subscribes to (what to select when creating the webhook endpoint). */
export const stripeEventTypes = Object.keys(stripeEventHandlers);
