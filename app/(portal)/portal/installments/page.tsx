import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import type { InstallmentPartStatus } from "@/drizzle/schema";
import { getDb } from "@/lib/db/client";
import { isOwing } from "@/lib/portal/context";
import { reasonKeyFromParam } from "@/lib/portal/declines";
import { requirePortalCase } from "@/lib/portal/guard";
import { livePlanOf, optionsFor } from "@/lib/portal/installment-plans";
import { installmentsAction } from "../actions";
import { ActionError, BackLink, CasePage, param, type SearchParams } from "../_components/case-page";
import { SubmitButton } from "../_components/submit-button";

export const metadata: Metadata = { title: "Pay in installments", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

const badge: Record<InstallmentPartStatus, BadgeVariant> = { scheduled: "neutral", requires_action: "warning", paid: "success", failed: "danger", canceled: "neutral" };

/** The plans the policy allows, each with its dates and amounts; after choosing, the schedule. */
export default async function InstallmentsPage({ searchParams }: { searchParams: SearchParams }) {
  const p = await requirePortalCase();
  const params = await searchParams;
  const { t } = p.text;
  const plan = await livePlanOf(await getDb(), p.c.workspaceId, p.c.id);

  if (plan?.status === "active") {
    return (
      <CasePage p={p}>
        <h1 className="text-2xl font-semibold tracking-tight">{t.installments.planTitle}</h1>
        <Alert variant="success">{t.installments.planActive}</Alert>
        <Card flush>
          <ol className="divide-y divide-border">
            {plan.parts.map((part) => (
              <li key={part.n} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
                <span>
                  <span className="font-medium">{t.installments.part(part.n)}</span>
                  <span className="text-muted"> · {p.text.date(new Date(part.dueAt))}</span>
                </span>
                <span className="flex items-center gap-2">
                  <span className="font-medium tabular-nums">{p.text.money(part.amountMinor, plan.currency)}</span>
                  <Badge variant={badge[part.status]}>{t.installments.status[part.status]}</Badge>
                </span>
              </li>
            ))}
            <li className="flex justify-between px-4 py-3 text-sm font-semibold">
              <span>{t.installments.total}</span>
              <span className="tabular-nums">{p.text.money(plan.totalMinor, plan.currency)}</span>
            </li>
          </ol>
        </Card>
        <BackLink p={p} />
      </CasePage>
    );
  }

  const options = isOwing(p) && p.c.status === "open" ? optionsFor(p) : [];
  const declined = param(params, "declined");
  return (
    <CasePage p={p}>
      <h1 className="text-2xl font-semibold tracking-tight">{t.installments.title}</h1>
      <ActionError p={p} error={param(params, "error")} />
      {declined ? <Alert variant="error">{t.installments.firstDeclined(t.reason[reasonKeyFromParam(declined)])}</Alert> : null}
      {options.length === 0 ? (
        <Alert variant="info">{t.installments.none}</Alert>
      ) : (
        <>
          <p className="text-sm text-muted">{t.installments.intro}</p>
          {options.map((option) => (
            <Card key={option.parts} title={t.installments.option(option.parts)} titleAs="h2">
              <form action={installmentsAction} className="space-y-4">
                <input type="hidden" name="parts" value={option.parts} />
                <ol className="space-y-1 text-sm">
                  {option.schedule.map((part) => (
                    <li key={part.n} className="flex justify-between gap-3">
                      <span className="text-muted">{part.n === 1 ? t.installments.today : p.text.date(part.dueAt)}</span>
                      <span className="font-medium tabular-nums">{p.text.money(part.amountMinor, p.invoice.currency)}</span>
                    </li>
                  ))}
                </ol>
                <SubmitButton variant={option.parts === options[0]!.parts ? "primary" : "secondary"} className="w-full">
                  {t.installments.choose(option.parts)}
                </SubmitButton>
              </form>
            </Card>
          ))}
        </>
      )}
      <BackLink p={p} />
    </CasePage>
  );
}
