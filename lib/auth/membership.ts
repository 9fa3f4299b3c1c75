import { eq } from "drizzle-orm";
import { memberships, users } from "@/drizzle/schema";
import type { DbOrTx } from "@/lib/db/client";
import { normalizeEmail } from "./magic-link";

export async function hasMembership(db: DbOrTx, email: string): Promise<boolean> {
  const rows = await db
    .select({ userId: users.id })
    .from(users)
    .innerJoin(memberships, eq(memberships.userId, users.id))
    .where(eq(users.email, normalizeEmail(email)))
    .limit(1);
  return rows.length > 0;
}
