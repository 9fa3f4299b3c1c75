import { pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { users } from "./users";

// Operator sessions (database strategy), shape required by @auth/drizzle-adapter.
export const sessions = pgTable("session", {
  sessionToken: text("sessionToken").primaryKey(),
  userId: text("userId")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expires: timestamp("expires", { mode: "date", withTimezone: true }).notNull(),
});
