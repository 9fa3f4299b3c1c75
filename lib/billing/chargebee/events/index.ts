import type { NormalizedEvent, VerifiedWebhook } from "@/lib/billing/types";
import { cardExpiryReminder } from "./card-expiry-reminder";
import { customerChanged } from "./customer-changed";
import { dunningUpdated } from "./dunning-updated";
import { invoiceDeleted } from "./invoice-deleted";
import { invoiceUpdated } from "./invoice-updated";
import { paymentFailed } from "./payment-failed";
import { paymentSourceAdded } from "./payment-source-added";
import { paymentSourceDeleted } from "./payment-source-deleted";
import { paymentSourceExpiring } from "./payment-source-expiring";
import { paymentSourceUpdated } from "./payment-source-updated";
import { paymentSucceeded } from "./payment-succeeded";
import type { ChargebeeContent, ChargebeeEventHandler, Resolver } from "./resolve";
import { subscriptionCancelled } from "./subscription-cancelled";
import { subscriptionChanged } from "./subscription-changed";
import { subscriptionPaused } from "./subscription-paused";
import { subscriptionResumed } from "./subscription-resumed";

/** The Chargebee event types Dunwell acts on, one handler each; every other type is stored as ignored. */
export const chargebeeEventHandlers: ReadonlyMap<string, ChargebeeEventHandler> = new Map([
  ["payment_failed", paymentFailed],
  ["payment_succeeded", paymentSucceeded],
  ["invoice_updated", invoiceUpdated],
  ["invoice_deleted", invoiceDeleted],
  ["dunning_updated", dunningUpdated],
  ["subscription_changed", subscriptionChanged],
  ["subscription_cancelled", subscriptionCancelled],
  ["subscription_paused", subscriptionPaused],
  ["subscription_resumed", subscriptionResumed],
  ["payment_source_added", paymentSourceAdded],
  ["payment_source_updated", paymentSourceUpdated],
  ["payment_source_deleted", paymentSourceDeleted],
  ["payment_source_expiring", paymentSourceExpiring],
  ["card_expiry_reminder", cardExpiryReminder],
  ["customer_changed", customerChanged],
]);

export async function normalizeChargebeeEvent(event: VerifiedWebhook, resolve: Resolver): Promise<NormalizedEvent[] | null> {
  const handler = chargebeeEventHandlers.get(event.type);
  if (!handler) return null;
  const content = ((event.payload as { content?: ChargebeeContent } | null)?.content ?? {}) as ChargebeeContent;
  return handler({ occurredAt: event.occurredAt, content, resolve });
}
