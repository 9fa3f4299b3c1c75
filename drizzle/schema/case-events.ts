import { bigserial, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { utc } from "./columns";
import { dunningCases } from "./dunning-cases";
import { workspaces } from "./workspaces";

/** The case timeline: what happened and why, in order. */
export const caseEvents = pgTable(
  "case_events",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    caseId: text("case_id")
      .notNull()
      .references(() => dunningCases.id, { onDelete: "cascade" }),
    at: utc("at").notNull(),
    type: text("type").notNull(),
    message: text("message").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    /** Insertion order: events written at the same instant (one transaction) keep the order they happened in. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [index("case_events_case_at").on(t.caseId, t.at)],
);

export type CaseEvent = typeof caseEvents.$inferSelect;
