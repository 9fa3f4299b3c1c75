import { date, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { utc } from "./columns";
import { customers } from "./customers";
import { dunningCases } from "./dunning-cases";
import { workspaces } from "./workspaces";

export type PortalRequestKind = "fresh_link" | "help" | "promise";
export type HelpTopic = "question" | "dispute" | "already_canceled";
/** open: waits for the operator (help) or the date (promise); done: handled; kept / broken: a promise's end. */
export type PortalRequestStatus = "open" | "done" | "kept" | "broken" | "refused";

/**
 * What a customer asked for in the portal: a fresh link (rate limited per case), help
 * (pauses the case until an operator answers) or a promise to pay on a date.
 */
export const portalRequests = pgTable(
  "portal_requests",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    caseId: text("case_id")
      .notNull()
      .references(() => dunningCases.id, { onDelete: "cascade" }),
    customerId: text("customer_id").references(() => customers.id, { onDelete: "set null" }),
    kind: text("kind").$type<PortalRequestKind>().notNull(),
    status: text("status").$type<PortalRequestStatus>().notNull().default("open"),
    topic: text("topic").$type<HelpTopic>(),
    message: text("message"),
    /** A promise's date in the customer's calendar (YYYY-MM-DD). */
    promisedFor: date("promised_for", { mode: "string" }),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: utc("created_at").notNull(),
    resolvedAt: utc("resolved_at"),
  },
  (t) => [index("portal_requests_case_kind").on(t.caseId, t.kind, t.createdAt), index("portal_requests_workspace_open").on(t.workspaceId, t.kind, t.status)],
);

export type PortalRequest = typeof portalRequests.$inferSelect;
