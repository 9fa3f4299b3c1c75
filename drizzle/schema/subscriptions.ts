import { bigint, boolean, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, utc } from "./columns";
import { connections } from "./connections";
import { customers } from "./customers";
import { workspaces } from "./workspaces";

export type SubscriptionStatus = "trialing" | "active" | "past_due" | "unpaid" | "paused" | "canceled" | "incomplete" | "other";

export const subscriptions = pgTable(
  "subscriptions",
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
    status: text("status").$type<SubscriptionStatus>().notNull(),
    planName: text("plan_name"),
    /** Monthly recurring revenue in minor units of `currency`. */
    mrrMinor: integer("mrr_minor").notNull().default(0),
    currency: text("currency").notNull(),
    currentPeriodEnd: utc("current_period_end"),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    startedAt: utc("started_at"),
    providerVersion: bigint("provider_version", { mode: "number" }).notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex("subscriptions_connection_external").on(t.connectionId, t.externalId), index("subscriptions_customer").on(t.customerId)],
);

export type Subscription = typeof subscriptions.$inferSelect;
