import { AppError } from "@/lib/errors";

/**
 * A provider API call failed. `retryable` for 429, 5xx and network errors (the same
 * idempotency key may be sent again, after `retryAfterMs` when the provider said so).
 */
export class ProviderError extends AppError {
  constructor(
    message: string,
    readonly provider: string,
    readonly httpStatus: number | null,
    readonly retryable: boolean,
    readonly retryAfterMs: number | null = null,
    readonly providerCode: string | null = null,
  ) {
    super(retryable ? "unavailable" : httpStatus === 404 ? "not_found" : "invalid_input", message, {
      provider,
      httpStatus,
      providerCode,
    });
    this.name = "ProviderError";
  }
}

export const isProviderError = (error: unknown): error is ProviderError => error instanceof ProviderError;

/** A webhook was refused: 400 for malformed or unsigned, 401 for wrong credentials. Nothing is stored. */
export class WebhookRejected extends AppError {
  constructor(
    message: string,
    readonly httpStatus: 400 | 401,
  ) {
    super(httpStatus === 401 ? "unauthenticated" : "invalid_input", message);
    this.name = "WebhookRejected";
  }
}
