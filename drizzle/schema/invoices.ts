import { bigint, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, utc } from "./columns";
import { connections } from "./connections";
import { customers } from "./customers";
import { subscriptions } from "./subscriptions";
import { workspaces } from "./workspaces";

export type InvoiceStatus = "draft" | "open" | "paid" | "void" | "uncollectible";

export const invoices = pgTable(
  "invoices",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: text("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    subscriptionId: text("subscription_id").references(() => subscriptions.id, { onDelete: "set null" }),
    number: text("number"),
    description: text("description"),
    status: text("status").$type<InvoiceStatus>().notNull(),
    /** Money: integer minor units of `currency` (lower-case ISO 4217). */
    amountDue: integer("amount_due").notNull(),
    amountPaid: integer("amount_paid").notNull().default(0),
    amountRemaining: integer("amount_remaining").notNull(),
    currency: text("currency").notNull(),
    dueAt: utc("due_at"),
    /** The provider's own next automatic retry (Stripe next_payment_attempt). */
    nextPaymentAttemptAt: utc("next_payment_attempt_at"),
    attemptCount: integer("attempt_count").notNull().default(0),
    /** Chargebee dunning_status, or null. */
    providerDunningStatus: text("provider_dunning_status"),
    hostedUrl: text("hosted_url"),
    issuedAt: utc("issued_at").notNull(),
    paidAt: utc("paid_at"),
    providerVersion: bigint("provider_version", { mode: "number" }).notNull().default(0),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("invoices_connection_external").on(t.connectionId, t.externalId),
    index("invoices_workspace_status").on(t.workspaceId, t.status),
    index("invoices_customer").on(t.customerId),
  ],
);

export type Invoice = typeof invoices.$inferSelect;
