import { connections, workspaces } from "@/drizzle/schema";
import type { ProviderContext, SandboxCredentials } from "@/lib/billing/types";
import { fixedClock } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";

export const SANDBOX_TEST_SECRET = "whsec_sandbox_test_secret";

export type SandboxTestContext = ProviderContext & { clock: ReturnType<typeof fixedClock>; credentials: SandboxCredentials };

/** A fresh workspace with one sandbox connection (its own sandbox account) and a fixed clock. */
export async function makeSandboxContext(at = "2025-03-03T09:00:00.000Z"): Promise<SandboxTestContext> {
  const db = await getDb();
  const workspaceId = newId("ws");
  const connectionId = newId("con");
  await db.insert(workspaces).values({ id: workspaceId, name: "Sandbox test" });
  await db.insert(connections).values({ id: connectionId, workspaceId, provider: "sandbox", name: "Sandbox", secretsCiphertext: "test" });
  return {
    connectionId,
    workspaceId,
    apiBase: null,
    settings: {},
    credentials: { provider: "sandbox", webhookSecret: SANDBOX_TEST_SECRET },
    db,
    clock: fixedClock(at),
  };
}
