import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { invoices, type Invoice } from "@/drizzle/schema";
import { providerFor } from "@/lib/billing/providers";
import type { ClientAction } from "@/lib/billing/types";
import type { Db, DbOrTx } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import type { PortalCase, PortalCustomer } from "./context";
import { hasStripeElement, stripeElementPath } from "./stripe-element";

/**
 * Starting "Update card" and "Pay now" at the case's provider. What the browser does next:
 * the sandbox's test-card form (rendered by the portal), Chargebee's hosted page (a
 * redirect, back to /portal/return), or, for Stripe, the portal's Payment Element page
 * (stripe-element.ts), which starts the intent itself. A Stripe connection without a
 * publishable key has no Payment Element: pay-now falls back to Stripe's hosted invoice
 * page, and a card update says the option is not available here.
 */

export type PortalStart = { kind: "sandbox_form"; reference: string } | { kind: "redirect"; url: string } | { kind: "unavailable" };

export const portalReturnUrl = (appUrl = getEnv().appUrl) => `${appUrl}/portal/return`;

/** Each click starts its own form (a completed form cannot be reused), so the key carries a nonce. */
const clickKey = (what: string, caseId: string) => `portal:${what}:${caseId}:${randomBytes(6).toString("hex")}`;

function toStart(action: ClientAction): PortalStart {
  switch (action.kind) {
    case "sandbox_form":
      return { kind: "sandbox_form", reference: action.reference };
    case "redirect":
      return { kind: "redirect", url: action.url };
    case "stripe_payment_element":
      // Stripe's intent is started by its page (startStripeElement), which mounts the element.
      return { kind: "unavailable" };
  }
}

/** A case session or a card link's session (pre-dunning) may update the card: the customer is all it needs. */
export async function startCardUpdate(db: Db, p: PortalCustomer): Promise<PortalStart> {
  if (p.connection.provider === "stripe") return hasStripeElement(p.connection) ? { kind: "redirect", url: stripeElementPath({ for: "card" }) } : { kind: "unavailable" };
  const provider = providerFor(db, p.connection, p.clock);
  const action = await provider.startPaymentMethodUpdate({ customerExternalId: p.customer.externalId, returnUrl: portalReturnUrl(), idempotencyKey: clickKey("card", p.customer.id) });
  return toStart(action);
}

/** An open invoice of the session's customer (the case's own by default). */
export async function payableInvoice(db: DbOrTx, p: PortalCase, invoiceId?: string): Promise<Invoice> {
  if (!invoiceId || invoiceId === p.invoice.id) {
    if (p.invoice.status !== "open") throw new AppError("conflict", "This invoice is no longer open.");
    return p.invoice;
  }
  const [row] = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, invoiceId), eq(invoices.workspaceId, p.c.workspaceId), eq(invoices.customerId, p.customer.id), eq(invoices.status, "open")));
  if (!row) throw new AppError("not_found", "No such open invoice.");
  return row;
}

export async function startPayNow(db: Db, p: PortalCase, invoiceId?: string): Promise<PortalStart> {
  const invoice = await payableInvoice(db, p, invoiceId);
  if (p.connection.provider === "stripe") {
    if (hasStripeElement(p.connection)) return { kind: "redirect", url: stripeElementPath({ for: "pay", invoice }) };
    return invoice.hostedUrl ? { kind: "redirect", url: invoice.hostedUrl } : { kind: "unavailable" };
  }
  const provider = providerFor(db, p.connection, p.clock);
  const action = await provider.startPayNow({ invoiceExternalId: invoice.externalId, returnUrl: portalReturnUrl(), idempotencyKey: clickKey("pay", p.c.id) });
  return toStart(action);
}
