import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { getDb } from "@/lib/db/client";
import { reasonKeyFromParam } from "@/lib/portal/declines";
import { redirect } from "next/navigation";
import { hasCase, requirePortalCustomer } from "@/lib/portal/guard";
import { resultAfterCardUpdate, resultAfterPayment, type ActionResult } from "@/lib/portal/results";
import { BackLink, CasePage, param, type SearchParams } from "../_components/case-page";

export const metadata: Metadata = { title: "Result", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/** "Your card was updated; we retried the payment: paid / declined: <reason>", or the pay-now outcome. */
export default async function ResultPage({ searchParams }: { searchParams: SearchParams }) {
  const p = await requirePortalCustomer();
  const params = await searchParams;
  const after = param(params, "after");
  const { t } = p.text;
  const db = await getDb();

  // A card link's session (pre-dunning) owes nothing: a saved card is the whole outcome.
  if (!hasCase(p)) {
    if (after !== "card") redirect("/portal/update-card");
    return (
      <CasePage p={p}>
        <h1 className="text-2xl font-semibold tracking-tight">{t.result.savedTitle}</h1>
        <Alert variant="success">{t.cardOnly.saved}</Alert>
      </CasePage>
    );
  }

  if (after === "unavailable") {
    return (
      <CasePage p={p}>
        <h1 className="text-2xl font-semibold tracking-tight">{t.overview.title}</h1>
        <Alert variant="info">{t.result.unavailable(p.brand.name)}</Alert>
        <BackLink p={p} />
      </CasePage>
    );
  }
  const declined = param(params, "declined");
  const result: ActionResult = declined ? { kind: "declined", reason: reasonKeyFromParam(declined) } : after === "card" ? await resultAfterCardUpdate(db, p) : await resultAfterPayment(db, p);
  const card = after === "card";
  const [title, body, variant] =
    result.kind === "paid"
      ? [t.result.paidTitle, card ? t.result.cardPaid : t.result.paidBody(p.text.money(result.amountMinor, result.currency)), "success" as const]
      : result.kind === "declined"
        ? [t.result.declinedTitle, card ? t.result.cardDeclined(t.reason[result.reason]) : t.sandbox.declined(t.reason[result.reason]), "error" as const]
        : result.kind === "saved"
          ? [t.result.savedTitle, t.result.cardSaved, "success" as const]
          : [t.result.pendingTitle, t.result.pendingBody, "info" as const];
  return (
    <CasePage p={p}>
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <Alert variant={variant}>{body}</Alert>
      <BackLink p={p} />
    </CasePage>
  );
}
