import { createHash } from "node:crypto";
import Chargebee, { type ChargebeeRequestHeader, type Config } from "chargebee";
import { ProviderError } from "@/lib/billing/errors";
import type { ChargebeeCredentials, ProviderContext } from "@/lib/billing/types";

/**
 * One Chargebee SDK client per connection, rebuilt only when its key, site or API base
 * changes. The SDK's own retries stay off: Dunwell's queue owns retries (with backoff and
 * Retry-After), and a second retry loop inside a step would multiply charges' latency.
 */

export type ChargebeeClient = InstanceType<typeof Chargebee>;

const clients = new Map<string, { fingerprint: string; client: ChargebeeClient }>();

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

export function chargebeeCredentials(ctx: ProviderContext): ChargebeeCredentials {
  if (ctx.credentials.provider !== "chargebee") throw new Error(`Connection ${ctx.connectionId} does not hold Chargebee credentials.`);
  return ctx.credentials;
}

/**
 * The SDK builds every URL as `${protocol}://${site}${hostSuffix}:${port}/api/v2/...`. To
 * reach another host (a local test server) the site is left empty and the whole host name
 * becomes the suffix, so the SDK's own request, encoding and error code still run.
 */
export function sdkConfig(credentials: ChargebeeCredentials, apiBase: string | null): Config {
  const base: Config = { site: credentials.site, apiKey: credentials.apiKey, timeout: 30_000, retryConfig: { enabled: false }, sdkTelemetryEnabled: false };
  if (!apiBase) return base;
  const url = new URL(apiBase);
  const protocol = url.protocol === "http:" ? "http" : "https";
  const port = url.port ? Number(url.port) : protocol === "http" ? 80 : 443;
  return { ...base, site: "", hostSuffix: url.hostname, protocol, port };
}

export function chargebeeClient(ctx: ProviderContext): ChargebeeClient {
  const credentials = chargebeeCredentials(ctx);
  const fingerprint = sha256([credentials.apiKey, credentials.site, ctx.apiBase ?? ""].join("\0"));
  const cached = clients.get(ctx.connectionId);
  if (cached?.fingerprint === fingerprint) return cached.client;
  const client = new Chargebee(sdkConfig(credentials, ctx.apiBase));
  clients.set(ctx.connectionId, { fingerprint, client });
  return client;
}

/** Chargebee accepts idempotency keys of up to 100 characters; longer step keys are hashed (stable). */
export function idempotent(key: string): ChargebeeRequestHeader {
  return { "chargebee-idempotency-key": key.length <= 100 ? key : `dw_${sha256(key)}` };
}

/** What the SDK rejects with for an HTTP error: Chargebee's JSON error body plus status and headers. */
export type ChargebeeApiError = {
  message?: string;
  type?: string;
  api_error_code?: string;
  error_code?: string;
  http_status_code?: number;
  headers?: Record<string, string> | null;
};

export function asApiError(error: unknown): ChargebeeApiError | null {
  if (typeof error !== "object" || error === null) return null;
  const status = (error as ChargebeeApiError).http_status_code;
  return typeof status === "number" ? (error as ChargebeeApiError) : null;
}

/** A payment error (decline, no payment method): an outcome for the caller, not a failure of the call. */
export const isPaymentError = (error: unknown): boolean => asApiError(error)?.type === "payment";

function retryAfterMs(headers: Record<string, string> | null | undefined, now: number): number | null {
  const value = headers?.["retry-after"];
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function toProviderError(error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const api = asApiError(error);
  if (!api) {
    // No HTTP status: DNS, refused connection, TLS — the request may not have reached Chargebee.
    const message = error instanceof Error ? error.message : String(error);
    return new ProviderError(`Chargebee could not be reached: ${message}`, "chargebee", null, true);
  }
  const status = api.http_status_code ?? 500;
  const code = api.api_error_code ?? api.error_code ?? null;
  const message = api.message ?? `Chargebee answered ${status}.`;
  if (status === 429) return new ProviderError(message, "chargebee", status, true, retryAfterMs(api.headers, Date.now()), code);
  if (status >= 500) return new ProviderError(message, "chargebee", status, true, null, code);
  return new ProviderError(message, "chargebee", status, false, null, code);
}

/** Run one SDK call; every failure leaves as a ProviderError. */
export async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toProviderError(error);
  }
}
