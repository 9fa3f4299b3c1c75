import type { Transaction } from "chargebee";
import type { PaymentOutcome, ProviderInvoice } from "@/lib/billing/types";
import { asApiError, call, idempotent, isPaymentError, toProviderError, type ChargebeeClient } from "./client";
import { mapInvoice, mapTransaction } from "./map";

/**
 * Collections Dunwell starts (retries, installments). A decline is an outcome, not an
 * exception: Chargebee answers a failed charge with a `payment` error and no transaction in
 * the body, so the failed transaction is read back to learn the gateway's codes.
 */

type Collection = {
  idempotencyKey: string;
  amount?: number;
  paymentSourceId?: string;
  comment?: string;
};

const COMMENT_MAX = 300;
const FAILED: ReadonlySet<Transaction["status"]> = new Set(["failure", "late_failure", "voided"]);

/** The newest payment transaction of an invoice or customer, if it is the failure just reported. */
async function latestFailure(client: ChargebeeClient, scope: { invoiceId: string } | { customerId: string }): Promise<Transaction | null> {
  const page =
    "invoiceId" in scope
      ? await call(() => client.transaction.paymentsForInvoice(scope.invoiceId, { limit: 1 })) // newest first, per the API
      : await call(() => client.transaction.list({ limit: 1, customer_id: { is: scope.customerId }, type: { is: "payment" }, "sort_by[desc]": "date" }));
  const transaction = page.list[0]?.transaction;
  return transaction && FAILED.has(transaction.status) ? transaction : null;
}

async function declined(
  client: ChargebeeClient,
  error: unknown,
  scope: { invoiceId: string } | { customerId: string },
  idempotencyKey: string,
): Promise<PaymentOutcome> {
  // Only a processing failure created a transaction; "no payment method" attempted nothing.
  const attempted = asApiError(error)?.api_error_code === "payment_processing_failed";
  // Best effort: the decline already happened, and throwing now would make the queue retry
  // the charge. The payment_failed webhook brings the same transaction if this read fails.
  const [transaction, invoice] = await Promise.all([
    attempted ? latestFailure(client, scope).catch(() => null) : null,
    "invoiceId" in scope
      ? call(() => client.invoice.retrieve(scope.invoiceId)).then((r) => mapInvoice(r.invoice), () => null)
      : null,
  ]);
  const attempt = transaction
    ? mapTransaction(transaction, { invoiceId: "invoiceId" in scope ? scope.invoiceId : null, initiatedBy: "dunwell", idempotencyKey })
    : null;
  if (attempt && !attempt.failureMessage) attempt.failureMessage = asApiError(error)?.message ?? null;
  return { status: "failed", attempt, invoice };
}

function outcome(transaction: Transaction, invoice: ProviderInvoice | null, idempotencyKey: string): PaymentOutcome {
  const attempt = mapTransaction(transaction, { invoiceId: invoice?.externalId ?? null, initiatedBy: "dunwell", idempotencyKey });
  return { status: attempt.status, attempt, invoice };
}

/** invoice.collect_payment: the whole amount due, or `amount` of it (an installment). */
export async function collectInvoice(client: ChargebeeClient, invoiceId: string, c: Collection): Promise<PaymentOutcome> {
  try {
    const result = await client.invoice.collectPayment(
      invoiceId,
      {
        ...(c.amount !== undefined ? { amount: c.amount } : {}),
        ...(c.paymentSourceId ? { payment_source_id: c.paymentSourceId } : {}),
        ...(c.comment ? { comment: c.comment.slice(0, COMMENT_MAX) } : {}),
        // Off-session and started by the merchant: lets the gateway apply the MIT exemption.
        payment_initiator: "merchant",
      },
      idempotent(c.idempotencyKey),
    );
    return outcome(result.transaction, mapInvoice(result.invoice), c.idempotencyKey);
  } catch (error) {
    if (isPaymentError(error)) return declined(client, error, { invoiceId }, c.idempotencyKey);
    throw toProviderError(error);
  }
}

/** customer.collect_payment: an amount not tied to one invoice; Chargebee applies it to what is due. */
export async function collectFromCustomer(client: ChargebeeClient, customerId: string, c: Collection & { amount: number }): Promise<PaymentOutcome> {
  try {
    const result = await client.customer.collectPayment(
      customerId,
      { amount: c.amount, payment_initiator: "merchant", ...(c.paymentSourceId ? { payment_source_id: c.paymentSourceId } : {}) },
      idempotent(c.idempotencyKey),
    );
    return outcome(result.transaction, null, c.idempotencyKey);
  } catch (error) {
    if (isPaymentError(error)) return declined(client, error, { customerId }, c.idempotencyKey);
    throw toProviderError(error);
  }
}
