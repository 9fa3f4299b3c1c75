import type { Metadata } from "next";
import { and, eq } from "drizzle-orm";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/input";
import { portalRequests } from "@/drizzle/schema";
import { getDb } from "@/lib/db/client";
import { requirePortalCase } from "@/lib/portal/guard";
import { promiseWindow } from "@/lib/portal/promise";
import { promiseAction } from "../actions";
import { ActionError, BackLink, CasePage, param, type SearchParams } from "../_components/case-page";
import { SubmitButton } from "../_components/submit-button";

export const metadata: Metadata = { title: "Promise a payment date", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/** Pick a date within the policy's maximum; a native date input, so it works without JavaScript. */
export default async function PromisePage({ searchParams }: { searchParams: SearchParams }) {
  const p = await requirePortalCase();
  const params = await searchParams;
  const { t } = p.text;
  const [promise] = await (await getDb()).select().from(portalRequests).where(and(eq(portalRequests.caseId, p.c.id), eq(portalRequests.kind, "promise"), eq(portalRequests.status, "open")));
  if (promise?.promisedFor) {
    return (
      <CasePage p={p}>
        <h1 className="text-2xl font-semibold tracking-tight">{t.promise.doneTitle}</h1>
        <Alert variant="success">{t.promise.done(p.text.day(promise.promisedFor))}</Alert>
        <BackLink p={p} />
      </CasePage>
    );
  }
  const rules = p.policy.promiseToPay;
  const window = promiseWindow(p.clock.now(), p.text.timeZone, rules.maxDays);
  const available = rules.allowed && p.c.status === "open" && p.invoice.status === "open";
  const error = param(params, "error");
  return (
    <CasePage p={p}>
      <h1 className="text-2xl font-semibold tracking-tight">{t.promise.title}</h1>
      <ActionError p={p} error={error} invalid={t.promise.invalid(p.text.day(window.from), p.text.day(window.to))} />
      {available ? (
        <Card>
          <form action={promiseAction} className="space-y-4">
            <p className="text-sm text-muted">{t.promise.intro(rules.maxDays)}</p>
            <Field label={t.promise.dateLabel} description={`${p.text.day(window.from)} – ${p.text.day(window.to)}`} error={error === "invalid_input" ? t.promise.invalid(p.text.day(window.from), p.text.day(window.to)) : undefined} required>
              <Input type="date" name="date" min={window.from} max={window.to} defaultValue={window.from} className="h-11" />
            </Field>
            <SubmitButton className="w-full">{t.promise.submit}</SubmitButton>
          </form>
        </Card>
      ) : (
        <Alert variant="info">{t.result.unavailable(p.brand.name)}</Alert>
      )}
      <BackLink p={p} />
    </CasePage>
  );
}
