import { integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

/** Outcomes of retries by slot, learned per workspace (decline category × day-of-month bucket × weekday × local hour). */
export const retryStats = pgTable(
  "retry_stats",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    category: text("category").notNull(),
    bucket: text("bucket").notNull(),
    weekday: integer("weekday").notNull(),
    hour: integer("hour").notNull(),
    attempts: integer("attempts").notNull().default(0),
    successes: integer("successes").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.category, t.bucket, t.weekday, t.hour] })],
);
