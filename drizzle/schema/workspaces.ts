import { bigint, boolean, pgTable, text } from "drizzle-orm/pg-core";
import { timestamps } from "./columns";

export const workspaces = pgTable("workspaces", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull().default("UTC"),
  defaultLocale: text("default_locale").notNull().default("en"),
  /** Seeded demo workspaces are marked so every page can say "sandbox". */
  isDemo: boolean("is_demo").notNull().default(false),
  /** Sandbox workspaces can move time forward, as Stripe's test clocks do (milliseconds added to now). */
  clockOffsetMs: bigint("clock_offset_ms", { mode: "number" }).notNull().default(0),
  ...timestamps,
});

export type Workspace = typeof workspaces.$inferSelect;
