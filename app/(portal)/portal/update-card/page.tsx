import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { CreditCard } from "lucide-react";
import { Card } from "@/components/ui/card";
import { getDb } from "@/lib/db/client";
import { loadCardUpdateView } from "@/lib/portal/card-page";
import { hasCase, requirePortalCustomer } from "@/lib/portal/guard";
import { updateCardAction } from "../actions";
import { ActionError, CasePage, param, type SearchParams } from "../_components/case-page";
import { SubmitButton } from "../_components/submit-button";

export const metadata: Metadata = { title: "Update your card", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/**
 * Where a pre-dunning email's card link lands: the card on file, when it expires, the
 * renewal it has to pay, and one choice — update the card. A case session has the full
 * overview instead.
 */
export default async function UpdateCardPage({ searchParams }: { searchParams: SearchParams }) {
  const p = await requirePortalCustomer();
  if (hasCase(p)) redirect("/portal");
  const view = await loadCardUpdateView(await getDb(), p);
  const { t } = p.text;
  return (
    <CasePage p={p}>
      <h1 className="text-2xl font-semibold tracking-tight">{t.cardOnly.title}</h1>
      <ActionError p={p} error={param(await searchParams, "error")} />
      <Card>
        <div className="space-y-4">
          <p className="flex items-start gap-2 text-sm">
            <CreditCard aria-hidden="true" className="mt-0.5 size-5 shrink-0 text-brand" />
            <span>{view.card && view.expiry ? t.cardOnly.expiring(view.card, view.expiry) : view.card ? t.overview.cardOnFile(view.card) : t.cardOnly.noCard}</span>
          </p>
          <p className="text-sm text-muted">{view.renewalAt ? t.cardOnly.renewal(p.text.date(view.renewalAt)) : t.cardOnly.noRenewal}</p>
          <form action={updateCardAction}>
            <SubmitButton className="w-full">{t.cardOnly.button}</SubmitButton>
          </form>
        </div>
      </Card>
    </CasePage>
  );
}
