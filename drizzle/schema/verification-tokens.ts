import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

// One-time magic-link tokens (stored hashed by Auth.js), shape required by @auth/drizzle-adapter.
export const verificationTokens = pgTable(
  "verificationToken",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { mode: "date", withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);
