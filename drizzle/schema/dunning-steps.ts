import { index, integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { timestamps, utc } from "./columns";
import { dunningCases } from "./dunning-cases";
import { workspaces } from "./workspaces";

export type StepStatus = "pending" | "running" | "done" | "failed" | "skipped" | "canceled";

/** The plan, as data: each future retry, message, task or final action with its due time. */
export const dunningSteps = pgTable(
  "dunning_steps",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    caseId: text("case_id")
      .notNull()
      .references(() => dunningCases.id, { onDelete: "cascade" }),
    kind: text("kind").$type<"retry" | "message" | "final_action" | "task" | "installment">().notNull(),
    /** Deterministic within the case ("retry:3", "message:2:reminder", "final"): re-planning updates, never duplicates. */
    key: text("key").notNull(),
    status: text("status").$type<StepStatus>().notNull().default("pending"),
    dueAt: utc("due_at").notNull(),
    leaseUntil: utc("lease_until"),
    runs: integer("runs").notNull().default(0),
    paymentMethodExternalId: text("payment_method_external_id"),
    template: text("template"),
    channel: text("channel"),
    tone: text("tone"),
    finalAction: text("final_action"),
    reason: text("reason").notNull().default(""),
    outcome: jsonb("outcome").$type<Record<string, unknown>>(),
    startedAt: utc("started_at"),
    finishedAt: utc("finished_at"),
    ...timestamps,
  },
  (t) => [uniqueIndex("dunning_steps_case_key").on(t.caseId, t.key), index("dunning_steps_due").on(t.status, t.dueAt)],
);

export type DunningStep = typeof dunningSteps.$inferSelect;
