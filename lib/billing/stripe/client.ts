import { createHash } from "node:crypto";
import Stripe from "stripe";
import { ProviderError } from "@/lib/billing/errors";
import type { ProviderContext, StripeCredentials } from "@/lib/billing/types";
import { AppError } from "@/lib/errors";

/**
 * One SDK client per connection, built on first use and reused by every request. The key
 * includes a hash of the secret key and the API base, so rotating the key or pointing the
 * connection at another host builds a fresh client instead of reusing stale settings.
 */
const clients = new Map<string, Stripe>();

export function stripeCredentials(ctx: ProviderContext): StripeCredentials {
  if (ctx.credentials.provider !== "stripe") {
    throw new AppError("internal", `Connection ${ctx.connectionId} holds ${ctx.credentials.provider} credentials, not Stripe's.`);
  }
  return ctx.credentials;
}

export function getStripeClient(ctx: ProviderContext): Stripe {
  const { secretKey } = stripeCredentials(ctx);
  const fingerprint = createHash("sha256").update(`${secretKey}\n${ctx.apiBase ?? ""}`).digest("hex").slice(0, 32);
  const cacheKey = `${ctx.connectionId}:${fingerprint}`;
  const cached = clients.get(cacheKey);
  if (cached) return cached;
  // A rotated key or a new API base replaces the connection's old client.
  for (const key of clients.keys()) if (key.startsWith(`${ctx.connectionId}:`)) clients.delete(key);
  const client = new Stripe(secretKey, {
    // Pinned to the version this SDK's types describe, whatever the account's default is.
    apiVersion: Stripe.API_VERSION,
    // Our engine and queue own retries and resend the same idempotency key; the SDK must not add its own.
    maxNetworkRetries: 0,
    telemetry: false,
    appInfo: { name: "Dunwell" },
    ...hostSettings(ctx.apiBase),
  });
  clients.set(cacheKey, client);
  return client;
}

/** How many clients are cached (tests check that requests reuse one client). */
export const cachedClientCount = (): number => clients.size;

function hostSettings(apiBase: string | null): Pick<Stripe.StripeConfig, "host" | "port" | "protocol"> {
  if (!apiBase) return {};
  const url = new URL(apiBase);
  const protocol = url.protocol === "http:" ? "http" : "https";
  return { host: url.hostname, port: url.port || (protocol === "http" ? 80 : 443), protocol };
}

export const isStripeError = (error: unknown): error is Stripe.errors.StripeError => error instanceof Stripe.errors.StripeError;
export const isCardError = (error: unknown): error is Stripe.errors.StripeCardError => error instanceof Stripe.errors.StripeCardError;
/** Stripe's "no such object" (a 404 for an unknown URL is our bug, not a missing object). */
export const isNotFound = (error: unknown): boolean => isStripeError(error) && error.statusCode === 404 && error.code === "resource_missing";

/** Stripe sends Retry-After in seconds (or, per HTTP, as a date). */
function retryAfterMs(headers: Record<string, string> | undefined, now: number): number | null {
  const value = headers?.["retry-after"] ?? headers?.["Retry-After"];
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * Translate an SDK error into the one error type the engine understands. Card declines are
 * not errors for payment operations (they become a failed PaymentOutcome), so callers that
 * charge catch StripeCardError before they get here.
 */
export function toProviderError(error: Stripe.errors.StripeError): ProviderError {
  const status = error.statusCode ?? null;
  const code = error.code ?? error.type ?? null;
  if (error instanceof Stripe.errors.StripeConnectionError) {
    return new ProviderError(`Could not reach Stripe: ${error.message}`, "stripe", null, true, null, code);
  }
  if (error instanceof Stripe.errors.StripeRateLimitError || status === 429) {
    return new ProviderError(`Stripe is rate limiting this account: ${error.message}`, "stripe", status ?? 429, true, retryAfterMs(error.headers, Date.now()), code);
  }
  // 409: a request with the same idempotency key is still in flight; sending it again later is safe.
  if (status === 409 || (status !== null && status >= 500) || (status === null && error instanceof Stripe.errors.StripeAPIError)) {
    return new ProviderError(`Stripe is unavailable: ${error.message}`, "stripe", status, true, retryAfterMs(error.headers, Date.now()), code);
  }
  if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) {
    return new ProviderError(`Stripe refused the connection's key: ${error.message}`, "stripe", status, false, null, code);
  }
  return new ProviderError(`Stripe: ${error.message}`, "stripe", status, false, null, code);
}

/** Rethrow an SDK failure as a ProviderError; anything else (our own bug, an AppError) goes on as it is, not as retryable. */
export function rethrowStripe(error: unknown): never {
  throw isStripeError(error) ? toProviderError(error) : error;
}

/** Run one SDK call and map its failure. */
export async function stripeCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    rethrowStripe(error);
  }
}

/** Run a read and answer null when Stripe says the object does not exist. */
export async function stripeFind<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (isNotFound(error)) return null;
    rethrowStripe(error);
  }
}
