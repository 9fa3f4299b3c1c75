import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { isProviderError } from "@/lib/billing/errors";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { hasCase, requirePortalCustomer } from "@/lib/portal/guard";
import { payableInvoice } from "@/lib/portal/payments";
import type { PortalCase } from "@/lib/portal/context";
import { startStripeElement } from "@/lib/portal/stripe-element";
import { startStripeInstallment } from "@/lib/portal/stripe-installments";
import { ActionError, BackLink, CasePage, param, type SearchParams } from "../_components/case-page";
import { StripeAuthenticateForm, StripePaymentForm } from "../_components/stripe-payment-form";
import { SubmitButton } from "../_components/submit-button";
import { finishStripeCardAction, finishStripeInstallmentAction, finishStripePaymentAction } from "./actions";

export const metadata: Metadata = { title: "Card", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

const expected = (error: unknown) => {
  if (isAppError(error) || isProviderError(error)) return null;
  throw error;
};

/**
 * Update card (`?for=card`, a case session or a card link's) or pay an open invoice of the
 * case's customer (`?for=pay&invoice=…`) on Stripe with the Payment Element, or confirm the
 * first part of an installment plan with the bank (`?for=installment&plan=…`). The only page
 * that loads Stripe.js. Each visit starts (or re-reads) its intent at Stripe; the form confirms
 * it in the browser and the finish action reads it back.
 */
export default async function StripePage({ searchParams }: { searchParams: SearchParams }) {
  const p = await requirePortalCustomer();
  if (p.connection.provider !== "stripe") notFound();
  const params = await searchParams;
  const { t } = p.text;
  const db = await getDb();
  if (param(params, "for") === "installment") {
    if (!hasCase(p)) redirect("/portal");
    return <InstallmentConfirmation p={p} planId={param(params, "plan") ?? ""} error={param(params, "error")} />;
  }
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

/** The plan's first part, charged off-session, waits for the customer's bank: one button, no card form. */
async function InstallmentConfirmation({ p, planId, error }: { p: PortalCase; planId: string; error: string | undefined }) {
  const { t } = p.text;
  // A plan of another case, or one no longer waiting (active, failed, replaced): the installments page says where it stands.
  const start = await startStripeInstallment(await getDb(), p, planId).catch((error: unknown) => (isAppError(error) && error.code !== "internal" ? "gone" : expected(error)));
  if (start === "gone") redirect("/portal/installments");
  if (start?.kind !== "ready" && start?.kind !== "settled") {
    return (
      <CasePage p={p}>
        <h1 className="text-2xl font-semibold tracking-tight">{t.installments.title}</h1>
        <Alert variant={start ? "info" : "error"}>{start ? t.result.unavailable(p.brand.name) : t.error}</Alert>
        <BackLink p={p} />
      </CasePage>
    );
  }
  const { plan, first } = start;
  return (
    <CasePage p={p}>
      <h1 className="text-2xl font-semibold tracking-tight">{t.stripe.installmentTitle(p.text.money(first.amountMinor, plan.currency))}</h1>
      <ActionError p={p} error={error} invalid={t.stripe.notConfirmed} />
      <Card title={t.installments.option(plan.parts.length)} titleAs="h2">
        <div className="space-y-4">
          <ol className="space-y-1 text-sm">
            {plan.parts.map((part) => (
              <li key={part.n} className="flex justify-between gap-3">
                <span className="text-muted">{part.n === 1 ? t.installments.today : p.text.date(new Date(part.dueAt))}</span>
                <span className="font-medium tabular-nums">{p.text.money(part.amountMinor, plan.currency)}</span>
              </li>
            ))}
          </ol>
          {start.kind === "ready" ? (
            <>
              <p className="text-sm">{t.stripe.installmentIntro}</p>
              <StripeAuthenticateForm
                publishableKey={start.publishableKey}
                clientSecret={start.clientSecret}
                paymentMethod={start.paymentMethod}
                returnUrl={start.returnUrl}
                fields={{ plan: plan.id }}
                labels={{ submit: t.stripe.confirmWithBank, confirming: t.stripe.confirming, done: t.stripe.installmentDone, notConfirmed: t.stripe.notConfirmed, failed: t.stripe.failed }}
                finish={finishStripeInstallmentAction}
              />
            </>
          ) : (
            <form action={finishStripeInstallmentAction} className="space-y-4">
              <p className="text-sm">{t.stripe.installmentSettled}</p>
              <input type="hidden" name="plan" value={plan.id} />
              <SubmitButton>{t.stripe.continue}</SubmitButton>
            </form>
          )}
        </div>
      </Card>
      <BackLink p={p} />
    </CasePage>
  );
}
