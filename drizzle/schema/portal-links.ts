import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { timestamps, utc } from "./columns";
import { dunningCases } from "./dunning-cases";
import { workspaces } from "./workspaces";

/**
 * The portal link state of one case. A link token carries the case's token version; bumping
 * the version revokes every link (and portal session) issued before. No row means version 1.
 */
export const portalLinks = pgTable("portal_links", {
  caseId: text("case_id")
    .primaryKey()
    .references(() => dunningCases.id, { onDelete: "cascade" }),
  workspaceId: text("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  tokenVersion: integer("token_version").notNull().default(1),
  revokedAt: utc("revoked_at"),
  ...timestamps,
});

export type PortalLink = typeof portalLinks.$inferSelect;
