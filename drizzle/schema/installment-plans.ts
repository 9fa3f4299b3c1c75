import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";
import { customers } from "./customers";
import { dunningCases } from "./dunning-cases";
import { workspaces } from "./workspaces";

export type InstallmentPartStatus = "scheduled" | "requires_action" | "paid" | "failed" | "canceled";

export type InstallmentPart = {
  n: number;
  /** ISO instant the part is charged (part 1: when the plan was chosen). */
  dueAt: string;
  amountMinor: number;
  status: InstallmentPartStatus;
  /** The provider's charge, once attempted. */
  attemptExternalId?: string | null;
  /** A 3-D Secure reference the customer must authenticate (sandbox_form reference). */
  actionReference?: string | null;
  declineCode?: string | null;
};

/**
 * pending: the first part awaits the customer (3-D Secure); active: paying part by part;
 * completed: every part paid; failed: a part failed and dunning resumed; canceled: superseded.
 */
export type InstallmentPlanStatus = "pending" | "active" | "completed" | "failed" | "canceled";

/** A customer's plan to pay a case's invoice in parts (the portal's "Pay in installments"). */
export const installmentPlans = pgTable(
  "installment_plans",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    caseId: text("case_id")
      .notNull()
      .references(() => dunningCases.id, { onDelete: "cascade" }),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    status: text("status").$type<InstallmentPlanStatus>().notNull().default("pending"),
    currency: text("currency").notNull(),
    totalMinor: integer("total_minor").notNull(),
    intervalDays: integer("interval_days").notNull(),
    parts: jsonb("parts").$type<InstallmentPart[]>().notNull(),
    ...timestamps,
  },
  (t) => [
    // One live plan per case: choosing twice reuses it (and its idempotency keys) instead of charging twice.
    uniqueIndex("installment_plans_live_case").on(t.caseId).where(sql`status in ('pending', 'active')`),
    index("installment_plans_workspace_status").on(t.workspaceId, t.status),
  ],
);

export type InstallmentPlan = typeof installmentPlans.$inferSelect;
