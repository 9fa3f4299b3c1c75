import { timestamp } from "drizzle-orm/pg-core";

/** Every time is a UTC timestamptz; the UI converts to the viewer's zone. */
export const utc = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const timestamps = {
  createdAt: utc("created_at").notNull().defaultNow(),
  updatedAt: utc("updated_at").notNull().defaultNow(),
};
