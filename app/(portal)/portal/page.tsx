import type { Metadata } from "next";
import Link from "next/link";
import { CalendarClock, CreditCard, HandCoins, LifeBuoy, SplitSquareHorizontal } from "lucide-react";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { buttonClassName } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { getDb } from "@/lib/db/client";
import { requirePortalCase } from "@/lib/portal/guard";
import { loadOverview, type Overview } from "@/lib/portal/overview";
import type { PortalCase } from "@/lib/portal/context";
import { payNowAction, updateCardAction } from "./actions";
import { CasePage } from "./_components/case-page";
import { SubmitButton } from "./_components/submit-button";

export const metadata: Metadata = { title: "Your payment", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/** The overview: what is owed, what happened, what happens next, and the choices. Server-rendered; every choice is a plain form or link. */
export default async function PortalOverview() {
  const p = await requirePortalCase();
  const o = await loadOverview(await getDb(), p);
  const { t } = p.text;
  if (o.state !== "owing") {
    return (
      <CasePage p={p}>
        <h1 className="text-2xl font-semibold tracking-tight">{o.state === "paid" ? t.overview.paidTitle : t.overview.closedTitle}</h1>
        <Alert variant={o.state === "paid" ? "success" : "info"}>{o.state === "paid" ? t.overview.paidBody : t.overview.closedBody(p.brand.name)}</Alert>
      </CasePage>
    );
  }
  const primary = o.invoices.find((i) => i.primary) ?? o.invoices[0]!;
  const others = o.invoices.filter((i) => i !== primary);
  return (
    <CasePage p={p}>
      <section aria-labelledby="owed" className="space-y-2">
        <h1 id="owed" className="text-xl font-semibold tracking-tight">
          {p.customer.name ? t.overview.greeting(p.customer.name.split(" ")[0]!) : t.overview.heading}
        </h1>
        <p className="text-sm text-muted">{t.overview.amountDue}</p>
        <p className="text-4xl font-semibold tracking-tight tabular-nums">{p.text.money(primary.amountMinor, primary.currency)}</p>
        <p className="text-sm text-muted">
          {[primary.number ? t.overview.invoice(primary.number) : null, primary.description, primary.dueAt ? t.overview.dueOn(p.text.date(primary.dueAt)) : t.overview.issuedOn(p.text.date(primary.issuedAt))].filter(Boolean).join(" · ")}
        </p>
        {o.card ? <p className="text-sm text-muted">{t.overview.cardOnFile(o.card)}</p> : null}
      </section>

      <Arrangement p={p} o={o} />

      {o.history.length ? (
        <Card title={t.overview.historyTitle}>
          <ul className="space-y-2 text-sm">
            {o.history.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
        </Card>
      ) : null}

      {/* A plan or a promise says what comes next itself. */}
      {!o.arrangement || o.arrangement.kind === "help" ? (
        <Card title={t.overview.nextTitle}>
          <ul className="space-y-2 text-sm">
            <li>{o.nextRetryAt ? t.overview.nextRetry(p.text.date(o.nextRetryAt)) : t.overview.noRetry}</li>
            {o.serviceAffectedAt ? <li>{t.overview.serviceAffected(p.text.date(o.serviceAffectedAt))}</li> : null}
          </ul>
        </Card>
      ) : null}

      <section aria-labelledby="choices" className="space-y-3">
        <h2 id="choices" className="text-base font-semibold">
          {t.overview.choicesTitle}
        </h2>
        {o.choices.payNow ? (
          <form action={payNowAction}>
            <SubmitButton className="w-full">{t.overview.payNow(p.text.money(primary.amountMinor, primary.currency))}</SubmitButton>
          </form>
        ) : null}
        <ul className="divide-y divide-border rounded-card border border-border bg-surface">
          {o.choices.updateCard ? (
            <Choice icon={<CreditCard className="size-5" />} hint={t.overview.updateCardHint}>
              <form action={updateCardAction}>
                <button type="submit" className="text-left font-medium text-brand underline-offset-2 hover:underline">
                  {t.overview.updateCard}
                </button>
              </form>
            </Choice>
          ) : null}
          {o.choices.installments ? (
            <Choice icon={<SplitSquareHorizontal className="size-5" />} hint={t.overview.installmentsHint(o.choices.installments)}>
              <ChoiceLink href="/portal/installments">{t.overview.installments}</ChoiceLink>
            </Choice>
          ) : null}
          {o.choices.promise ? (
            <Choice icon={<CalendarClock className="size-5" />} hint={t.overview.promiseHint(o.choices.promise.maxDays)}>
              <ChoiceLink href="/portal/promise">{t.overview.promise}</ChoiceLink>
            </Choice>
          ) : null}
          {o.choices.help ? (
            <Choice icon={<LifeBuoy className="size-5" />} hint={t.overview.helpHint}>
              <ChoiceLink href="/portal/help">{t.overview.help}</ChoiceLink>
            </Choice>
          ) : null}
        </ul>
      </section>

      {others.length ? (
        <Card title={t.overview.otherInvoices}>
          <ul className="divide-y divide-border text-sm">
            {others.map((i) => (
              <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  <span className="font-medium tabular-nums">{p.text.money(i.amountMinor, i.currency)}</span>
                  <span className="text-muted"> · {i.number ? t.overview.invoice(i.number) : i.description}</span>
                </span>
                <form action={payNowAction}>
                  <input type="hidden" name="invoice" value={i.id} />
                  <button type="submit" className={buttonClassName({ variant: "secondary", size: "sm" })}>
                    <HandCoins aria-hidden="true" className="size-4" />
                    {t.overview.payNow(p.text.money(i.amountMinor, i.currency))}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </CasePage>
  );
}

function Arrangement({ p, o }: { p: PortalCase; o: Overview }) {
  const { t } = p.text;
  const a = o.arrangement;
  if (!a) return null;
  if (a.kind === "help") return <Alert variant="info">{t.overview.helpOpen(p.brand.name)}</Alert>;
  if (a.kind === "promise") return <Alert variant="info">{t.overview.promised(p.text.day(a.date))}</Alert>;
  const next = a.plan.parts.find((part) => part.status === "scheduled");
  return (
    <Alert variant="success" title={t.overview.planActive(a.plan.parts.length)} action={<Link href="/portal/installments" className="font-medium text-brand underline underline-offset-2">{t.overview.viewPlan}</Link>}>
      {next ? t.overview.planNext(p.text.money(next.amountMinor, a.plan.currency), p.text.date(new Date(next.dueAt))) : null}
      <Badge variant="success" className="ml-2">
        {a.plan.parts.filter((part) => part.status === "paid").length}/{a.plan.parts.length}
      </Badge>
    </Alert>
  );
}

function Choice({ icon, hint, children }: { icon: ReactNode; hint: string; children: ReactNode }) {
  return (
    <li className="flex gap-3 p-4">
      <span aria-hidden="true" className="mt-0.5 text-muted">
        {icon}
      </span>
      <div className="min-w-0 space-y-0.5">
        {children}
        <p className="text-sm text-muted">{hint}</p>
      </div>
    </li>
  );
}

function ChoiceLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <Link href={href} className="font-medium text-brand underline-offset-2 hover:underline">
      {children}
    </Link>
  );
}
