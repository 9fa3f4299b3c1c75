import type { Connection } from "@/drizzle/schema";
import { systemClock, type Clock } from "@/lib/clock";
import { decryptSecret } from "@/lib/crypto/secrets";
import type { Db } from "@/lib/db/client";
import { createChargebeeProvider } from "./chargebee";
import { createSandboxProvider } from "./sandbox";
import { createStripeProvider } from "./stripe";
import type { BillingProvider, ConnectionCredentials, ProviderContext } from "./types";

export function credentialsOf(connection: Connection): ConnectionCredentials {
  return JSON.parse(decryptSecret(connection.secretsCiphertext)) as ConnectionCredentials;
}

export function contextFor(db: Db, connection: Connection, clock: Clock = systemClock): ProviderContext {
  return {
    connectionId: connection.id,
    workspaceId: connection.workspaceId,
    apiBase: connection.apiBase,
    settings: connection.settings,
    credentials: credentialsOf(connection),
    db,
    clock,
  };
}

/** The adapter for a connection. Each adapter caches its SDK client per connection. */
export function providerFor(db: Db, connection: Connection, clock: Clock = systemClock): BillingProvider {
  const ctx = contextFor(db, connection, clock);
  switch (connection.provider) {
    case "stripe":
      return createStripeProvider(ctx);
    case "chargebee":
      return createChargebeeProvider(ctx);
    case "sandbox":
      return createSandboxProvider(ctx);
  }
}
