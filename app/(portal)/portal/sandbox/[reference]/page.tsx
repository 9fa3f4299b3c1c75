import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { FlaskConical, ShieldCheck } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { buttonClassName } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { getDb } from "@/lib/db/client";
import { reasonKeyFromParam } from "@/lib/portal/declines";
import { requirePortalCustomer } from "@/lib/portal/guard";
import { describeForm, sandboxTestCards } from "@/lib/portal/sandbox-forms";
import { authenticateAction, testCardAction } from "../../actions";
import { CasePage, param, type SearchParams } from "../../_components/case-page";
import { SubmitButton } from "../../_components/submit-button";

export const metadata: Metadata = { title: "Sandbox card form", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/**
 * The sandbox's hosted card form: a select of the documented test tokens (no card numbers
 * anywhere), or the 3-D Secure step of a charge that needs it. Marked as sandbox throughout.
 */
export default async function SandboxForm({ params, searchParams }: { params: Promise<{ reference: string }>; searchParams: SearchParams }) {
  const p = await requirePortalCustomer();
  const { reference } = await params;
  const view = await describeForm(await getDb(), p, reference);
  if (!view) notFound();
  const { t } = p.text;
  const declined = param(await searchParams, "declined");
  const amount = view.amount !== null ? p.text.money(view.amount, view.currency) : null;
  const title = view.purpose === "authenticate" ? t.sandbox.authTitle : view.purpose === "payment" && amount ? t.sandbox.payTitle(amount) : t.sandbox.setupTitle;

  return (
    <CasePage p={p}>
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="flex items-start gap-2 rounded-card border border-warning/40 bg-warning-subtle p-3 text-sm">
        <FlaskConical aria-hidden="true" className="mt-0.5 size-4 shrink-0 text-warning" />
        <span>
          <strong className="font-semibold">{t.sandbox.badge}.</strong> {t.sandbox.note}
        </span>
      </p>
      {view.status === "complete" ? (
        <Alert variant="info">{t.sandbox.done}</Alert>
      ) : view.purpose === "authenticate" ? (
        <Card>
          <div className="space-y-4">
            <p className="flex items-start gap-2 text-sm">
              <ShieldCheck aria-hidden="true" className="mt-0.5 size-5 shrink-0 text-brand" />
              {t.sandbox.authBody(amount ?? "")}
            </p>
            <form action={authenticateAction} className="flex flex-wrap items-center gap-3">
              <input type="hidden" name="reference" value={view.reference} />
              <SubmitButton>{t.sandbox.authenticate}</SubmitButton>
              <Link href="/portal" className={buttonClassName({ variant: "ghost", size: "lg" })}>
                {t.sandbox.cancel}
              </Link>
            </form>
          </div>
        </Card>
      ) : (
        <Card>
          <form action={testCardAction} className="space-y-4">
            {declined ? <Alert variant="error">{t.sandbox.declined(t.reason[reasonKeyFromParam(declined)])}</Alert> : null}
            <input type="hidden" name="reference" value={view.reference} />
            <Field label={t.sandbox.testCard}>
              <NativeSelect name="token" defaultValue="tok_visa" required>
                {sandboxTestCards.map((card) => (
                  <option key={card.token} value={card.token}>
                    {card.label} — {card.description}
                  </option>
                ))}
              </NativeSelect>
            </Field>
            <div className="flex flex-wrap items-center gap-3">
              <SubmitButton>{view.purpose === "payment" && amount ? t.sandbox.pay(amount) : t.sandbox.saveCard}</SubmitButton>
              <Link href="/portal" className={buttonClassName({ variant: "ghost", size: "lg" })}>
                {t.sandbox.cancel}
              </Link>
            </div>
          </form>
        </Card>
      )}
    </CasePage>
  );
}
