import { index, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";
import { connections } from "./connections";

/**
 * The sandbox provider's own records (its "Stripe test mode" account): customers,
 * subscriptions, invoices, payment methods, charges and the events it emits. Kept apart
 * from Dunwell's synced tables, which it feeds through the same webhook path as Stripe.
 */
export const sandboxObjects = pgTable(
  "sandbox_objects",
  {
    connectionId: text("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    id: text("id").notNull(),
    kind: text("kind").$type<"customer" | "subscription" | "invoice" | "payment_method" | "charge" | "event" | "clock">().notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.connectionId, t.id] }), index("sandbox_objects_kind").on(t.connectionId, t.kind)],
);

export type SandboxObject = typeof sandboxObjects.$inferSelect;
