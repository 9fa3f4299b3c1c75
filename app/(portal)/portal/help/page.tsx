import type { Metadata } from "next";
import { and, eq } from "drizzle-orm";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Field, Textarea } from "@/components/ui/input";
import { portalRequests } from "@/drizzle/schema";
import { getDb } from "@/lib/db/client";
import { requirePortalCase } from "@/lib/portal/guard";
import { helpTopics } from "@/lib/portal/help";
import { helpAction } from "../actions";
import { ActionError, BackLink, CasePage, param, type SearchParams } from "../_components/case-page";
import { SubmitButton } from "../_components/submit-button";

export const metadata: Metadata = { title: "Get help", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/** A question, a dispute or "I already cancelled": pauses the case and reaches the operator. */
export default async function HelpPage({ searchParams }: { searchParams: SearchParams }) {
  const p = await requirePortalCase();
  const params = await searchParams;
  const { t } = p.text;
  const [open] = await (await getDb()).select({ id: portalRequests.id }).from(portalRequests).where(and(eq(portalRequests.caseId, p.c.id), eq(portalRequests.kind, "help"), eq(portalRequests.status, "open")));
  if (open) {
    return (
      <CasePage p={p}>
        <h1 className="text-2xl font-semibold tracking-tight">{t.help.ackTitle}</h1>
        <Alert variant="success">{t.help.ackBody(p.brand.name)}</Alert>
        <BackLink p={p} />
      </CasePage>
    );
  }
  const error = param(params, "error");
  return (
    <CasePage p={p}>
      <h1 className="text-2xl font-semibold tracking-tight">{t.help.title}</h1>
      <ActionError p={p} error={error} invalid={t.help.required} />
      <Card>
        <form action={helpAction} className="space-y-4">
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">{t.help.topicLabel}</legend>
            {helpTopics.map((topic, i) => (
              <label key={topic} className="flex items-center gap-3 rounded-control border border-border-strong bg-surface px-3 py-3 text-sm has-[:checked]:border-brand">
                <input type="radio" name="topic" value={topic} defaultChecked={i === 0} className="size-4 accent-[var(--brand)]" />
                {t.help.topics[topic]}
              </label>
            ))}
          </fieldset>
          <Field label={t.help.messageLabel} description={t.help.messageHint}>
            <Textarea name="message" rows={5} maxLength={2000} />
          </Field>
          <SubmitButton className="w-full">{t.help.submit}</SubmitButton>
        </form>
      </Card>
      <BackLink p={p} />
    </CasePage>
  );
}
