import { bigint, boolean, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";
import { connections } from "./connections";
import { customers } from "./customers";
import { workspaces } from "./workspaces";

/** Brand, last four and expiry only: a card number never reaches Dunwell. */
export const paymentMethods = pgTable(
  "payment_methods",
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
    type: text("type").notNull(),
    brand: text("brand"),
    last4: text("last4"),
    expMonth: integer("exp_month"),
    expYear: integer("exp_year"),
    /** Same card across payment methods (network rules count per card). */
    fingerprint: text("fingerprint"),
    isDefault: boolean("is_default").notNull().default(false),
    status: text("status").$type<"active" | "detached">().notNull().default("active"),
    providerVersion: bigint("provider_version", { mode: "number" }).notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex("payment_methods_connection_external").on(t.connectionId, t.externalId), index("payment_methods_customer").on(t.customerId)],
);

export type PaymentMethod = typeof paymentMethods.$inferSelect;
