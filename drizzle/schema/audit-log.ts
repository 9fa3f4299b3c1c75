import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { utc } from "./columns";
import { workspaces } from "./workspaces";

export const auditLog = pgTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    /** "user:<id>", "cli", "system" */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    at: utc("at").notNull().defaultNow(),
  },
  (t) => [index("audit_log_workspace_at").on(t.workspaceId, t.at)],
);

export type AuditEntry = typeof auditLog.$inferSelect;
