import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, utc } from "./columns";
import { customers } from "./customers";
import { messages } from "./messages";
import { paymentMethods } from "./payment-methods";
import { subscriptions } from "./subscriptions";
import { workspaces } from "./workspaces";

export type CardExpiryNoticeStatus = "pending" | "sent" | "skipped" | "failed";
export type CardExpiryNoticeSource = "scan" | "provider_event";

/**
 * Pre-dunning: a default card that expires before (or in the month of) the subscription's
 * next renewal, flagged once per card, expiry and renewal (the idempotency key), and the
 * "card expiring" message sent for it. The expiry is kept as flagged: a different one at
 * send time means the provider's account updater refreshed the card, and nothing is sent.
 */
export const cardExpiryNotices = pgTable(
  "card_expiry_notices",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    paymentMethodId: text("payment_method_id")
      .notNull()
      .references(() => paymentMethods.id, { onDelete: "cascade" }),
    subscriptionId: text("subscription_id")
      .notNull()
      .references(() => subscriptions.id, { onDelete: "cascade" }),
    expMonth: integer("exp_month").notNull(),
    expYear: integer("exp_year").notNull(),
    renewalAt: utc("renewal_at").notNull(),
    /** predunning:<paymentMethodId>:<expYear>-<expMonth>:<renewal date>; also the message's key. */
    idempotencyKey: text("idempotency_key").notNull(),
    source: text("source").$type<CardExpiryNoticeSource>().notNull(),
    status: text("status").$type<CardExpiryNoticeStatus>().notNull().default("pending"),
    /** When to (try to) send: now, the start of the customer's sending hours, or after a provider outage. */
    dueAt: utc("due_at").notNull(),
    attempts: integer("attempts").notNull().default(0),
    reason: text("reason"),
    messageId: text("message_id").references(() => messages.id, { onDelete: "set null" }),
    ...timestamps,
  },
  (t) => [uniqueIndex("card_expiry_notices_key").on(t.idempotencyKey), index("card_expiry_notices_due").on(t.status, t.dueAt), index("card_expiry_notices_customer").on(t.customerId)],
);

export type CardExpiryNotice = typeof cardExpiryNotices.$inferSelect;
