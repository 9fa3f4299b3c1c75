import { isProviderError, ProviderError } from "@/lib/billing/errors";
import { getEmailTransport, type OutgoingEmail } from "@/lib/email/transport";

/** How long to wait before the one immediate retry: Resend's Retry-After, within reason. */
const pauseBefore = (error: ProviderError) => Math.min(Math.max(error.retryAfterMs ?? 200, 0), 2_000);

export type Delivery = { ok: true; providerId: string | null; attempts: number } | { ok: false; error: ProviderError; attempts: number };

/**
 * Send through Resend with the message's idempotency key. A 429, 5xx or network error is
 * retried once at once with the SAME key (Resend then sends at most one email); if that fails
 * too the caller records the failure and the engine tries the step again later, same key.
 */
export async function deliverEmail(email: OutgoingEmail): Promise<Delivery> {
  const transport = getEmailTransport();
  let attempts = 0;
  for (;;) {
    attempts += 1;
    try {
      const { providerId } = await transport.send(email);
      return { ok: true, providerId, attempts };
    } catch (error) {
      const failure = isProviderError(error) ? error : new ProviderError(error instanceof Error ? error.message : String(error), "resend", null, true);
      if (!failure.retryable || attempts >= 2) return { ok: false, error: failure, attempts };
      await new Promise((resolve) => setTimeout(resolve, pauseBefore(failure)));
    }
  }
}
