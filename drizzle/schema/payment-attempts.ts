import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, utc } from "./columns";
import { connections } from "./connections";
import { customers } from "./customers";
import { invoices } from "./invoices";
import { workspaces } from "./workspaces";

export type AttemptStatus = "succeeded" | "failed" | "requires_action" | "pending";

/** Every charge attempt known, the provider's own retries included (card-network caps count them all). */
export const paymentAttempts = pgTable(
  "payment_attempts",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: text("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    /** Charge / payment intent / transaction id at the provider. */
    externalId: text("external_id").notNull(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    invoiceId: text("invoice_id").references(() => invoices.id, { onDelete: "set null" }),
    paymentMethodExternalId: text("payment_method_external_id"),
    cardFingerprint: text("card_fingerprint"),
    cardBrand: text("card_brand"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    status: text("status").$type<AttemptStatus>().notNull(),
    declineCode: text("decline_code"),
    failureCode: text("failure_code"),
    failureMessage: text("failure_message"),
    adviceCode: text("advice_code"),
    networkAdviceCode: text("network_advice_code"),
    networkDeclineCode: text("network_decline_code"),
    /** Who started it: the provider's own schedule, Dunwell's engine, or the customer in the portal. */
    initiatedBy: text("initiated_by").$type<"provider" | "dunwell" | "customer">().notNull().default("provider"),
    idempotencyKey: text("idempotency_key"),
    attemptedAt: utc("attempted_at").notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("payment_attempts_connection_external").on(t.connectionId, t.externalId),
    index("payment_attempts_invoice").on(t.invoiceId),
    index("payment_attempts_card").on(t.workspaceId, t.cardFingerprint, t.attemptedAt),
  ],
);

export type PaymentAttempt = typeof paymentAttempts.$inferSelect;
