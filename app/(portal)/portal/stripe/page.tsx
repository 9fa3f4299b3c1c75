import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { isProviderError } from "@/lib/billing/errors";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { hasCase, requirePortalCustomer } from "@/lib/portal/guard";
import { payableInvoice } from "@/lib/portal/payments";
import { startStripeElement } from "@/lib/portal/stripe-element";
import { ActionError, BackLink, CasePage, param, type SearchParams } from "../_components/case-page";
import { StripePaymentForm } from "../_components/stripe-payment-form";
import { finishStripeCardAction, finishStripePaymentAction } from "./actions";

export const metadata: Metadata = { title: "Card", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

const expected = (error: unknown) => {
  if (isAppError(error) || isProviderError(error)) return null;
  throw error;
};

/**
 * Update card (`?for=card`, a case session or a card link's) or pay an open invoice of the
 * case's customer (`?for=pay&invoice=…`) on Stripe with the Payment Element. The only page
 * that loads Stripe.js. Each visit starts its intent at Stripe; the form confirms it in the
 * browser and the finish action reads it back.
 */
export default async function StripePage({ searchParams }: { searchParams: SearchParams }) {
  const p = await requirePortalCustomer();
  if (p.connection.provider !== "stripe") notFound();
  const params = await searchParams;
  const { t } = p.text;
  const db = await getDb();
  const pay = param(params, "for") === "pay";
  // Only a case session has invoices to pay; one paid or closed meanwhile: the overview says so.
  const invoice = pay && hasCase(p) ? await payableInvoice(db, p, param(params, "invoice")).catch(expected) : null;
  if (pay && !invoice) redirect("/portal");
  const element = await startStripeElement(db, p, invoice ? { for: "pay", invoice } : { for: "card" }).catch(expected);
  const amount = invoice ? p.text.money(invoice.amountRemaining, invoice.currency) : null;

  return (
    <CasePage p={p}>
      <h1 className="text-2xl font-semibold tracking-tight">{amount ? t.stripe.payTitle(amount) : t.stripe.setupTitle}</h1>
      <ActionError p={p} error={param(params, "error")} invalid={t.stripe.notConfirmed} />
      {!element ? (
        <Alert variant="error">{t.error}</Alert>
      ) : element.kind === "unavailable" ? (
        <Alert variant="info">{t.result.unavailable(p.brand.name)}</Alert>
      ) : (
        <Card>
          <div className="space-y-4">
            <p className="text-sm">{amount ? t.stripe.payIntro : t.stripe.setupIntro}</p>
            <StripePaymentForm
              publishableKey={element.publishableKey}
              clientSecret={element.clientSecret}
              intent={element.intent}
              returnUrl={element.returnUrl}
              locale={p.text.locale}
              brandColor={p.brand.color}
              fields={invoice ? { invoice: invoice.id } : undefined}
              labels={{
                submit: amount ? t.stripe.pay(amount) : t.stripe.saveCard,
                loading: t.stripe.loading,
                confirming: t.stripe.confirming,
                done: amount ? t.stripe.paymentDone : t.stripe.cardSaved,
                notConfirmed: t.stripe.notConfirmed,
                failed: t.stripe.failed,
              }}
              finish={invoice ? finishStripePaymentAction : finishStripeCardAction}
            />
          </div>
        </Card>
      )}
      <BackLink p={p} />
    </CasePage>
  );
}
