import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

// Shape required by @auth/drizzle-adapter (table and column names included).
export const users = pgTable("user", {
  id: text("id").primaryKey(),
  name: text("name"),
  email: text("email").unique(),
  emailVerified: timestamp("emailVerified", { mode: "date", withTimezone: true }),
  image: text("image"),
});

export type User = typeof users.$inferSelect;
