import { sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";

/** What /api/health reports: the mode and whether the database answers. */
export async function checkHealth(): Promise<{ ok: boolean; mode: string; database: "up" | "down" }> {
  const env = getEnv();
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return { ok: true, mode: env.mode, database: "up" };
  } catch {
    return { ok: false, mode: env.mode, database: "down" };
  }
}
