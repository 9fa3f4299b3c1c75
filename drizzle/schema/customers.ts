import { bigint, boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";
import { connections } from "./connections";
import { workspaces } from "./workspaces";

export const customers = pgTable(
  "customers",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: text("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    externalId: text("external_id").notNull(),
    email: text("email"),
    /** As the provider holds it; SMS go to it in E.164 form (+14155550100). */
    phone: text("phone"),
    name: text("name"),
    /** BCP 47 locale from the provider (preferred_locales / locale), if any. */
    locale: text("locale"),
    timezone: text("timezone"),
    country: text("country"),
    currency: text("currency"),
    /** Delinquent per the provider. */
    delinquent: boolean("delinquent").notNull().default(false),
    metadata: jsonb("metadata").$type<Record<string, string>>().notNull().default({}),
    /** Monotonic version of the provider object (Chargebee resource_version, Stripe event time in ms). */
    providerVersion: bigint("provider_version", { mode: "number" }).notNull().default(0),
    /** Version of the customer's case-free card-update links (pre-dunning); bumping it revokes them. */
    cardLinkVersion: integer("card_link_version").notNull().default(1),
    ...timestamps,
  },
  (t) => [uniqueIndex("customers_connection_external").on(t.connectionId, t.externalId), index("customers_workspace_email").on(t.workspaceId, t.email)],
);

export type Customer = typeof customers.$inferSelect;
