import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, utc } from "./columns";
import { connections } from "./connections";
import { customers } from "./customers";
import { invoices } from "./invoices";
import { policyVersions } from "./policies";
import { workspaces } from "./workspaces";

export type CaseStatus = "open" | "paused" | "recovered" | "exhausted" | "canceled" | "written_off";

/** One failed invoice being recovered: opened on the first failure, closed by payment or its final action. */
export const dunningCases = pgTable(
  "dunning_cases",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    connectionId: text("connection_id")
      .notNull()
      .references(() => connections.id, { onDelete: "cascade" }),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    invoiceId: text("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    status: text("status").$type<CaseStatus>().notNull().default("open"),
    policyVersionId: text("policy_version_id")
      .notNull()
      .references(() => policyVersions.id),
    segment: text("segment"),
    declineCategory: text("decline_category"),
    amountMinor: integer("amount_minor").notNull(),
    currency: text("currency").notNull(),
    recoveredMinor: integer("recovered_minor").notNull().default(0),
    openedAt: utc("opened_at").notNull(),
    closedAt: utc("closed_at"),
    closeReason: text("close_reason"),
    pausedUntil: utc("paused_until"),
    pauseReason: text("pause_reason"),
    /** Days an operator added to the policy's window ("extend"). */
    extraDays: integer("extra_days").notNull().default(0),
    ...timestamps,
  },
  (t) => [
    // At most one live case per invoice.
    uniqueIndex("dunning_cases_live_invoice").on(t.invoiceId).where(sql`status in ('open', 'paused')`),
    index("dunning_cases_workspace_status").on(t.workspaceId, t.status, t.openedAt),
  ],
);

export type DunningCase = typeof dunningCases.$inferSelect;
