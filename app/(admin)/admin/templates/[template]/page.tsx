import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/admin/page-header";
import { Card } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { messageTemplates, type MessageTemplate } from "@/lib/dunning/types";
import { placeholderNames } from "@/lib/messaging/copy/placeholders";
import { messageLocales, resolveMessageLocale, type MessageLocale } from "@/lib/messaging/locale";
import { getOverride, listOverrides } from "@/lib/messaging/overrides";
import { defaultCopy, previewDraft } from "@/lib/messaging/template-editor";
import { DateTime, param, type SearchParams } from "../../_components/billing-ui";
import { InlineActionForm } from "../../_components/inline-action-form";
import { localeLabel, templateLabel } from "../../outbox/_components/message-ui";
import { resetTemplateAction } from "../actions";
import { TemplateEditor } from "../_components/template-editor";

export const metadata: Metadata = { title: "Template" };

const isTemplate = (value: string): value is MessageTemplate => (messageTemplates as readonly string[]).includes(value);
const isLocale = (value: string | undefined): value is MessageLocale => (messageLocales as readonly string[]).includes(value ?? "");

export default async function TemplatePage({ params, searchParams }: { params: Promise<{ template: string }>; searchParams: SearchParams }) {
  const { workspace } = await requireOperator("admin");
  const template = (await params).template;
  if (!isTemplate(template)) notFound();
  const requested = param((await searchParams).locale);
  const locale = isLocale(requested) ? requested : resolveMessageLocale(null, workspace.defaultLocale);

  const db = await getDb();
  const [override, all] = await Promise.all([getOverride(db, workspace.id, template, locale), listOverrides(db, workspace.id)]);
  const saved = { subject: override?.subject ?? "", blocks: override?.blocks ?? {} };
  const mine = all.filter((o) => o.template === template);
  const current = mine.find((o) => o.locale === locale);
  // The saved wording, rendered with the page: the preview works before (and without) JavaScript.
  const { subject, html, problems } = await previewDraft(db, workspace, { template, locale, ...saved });
  const language = localeLabel(locale);

  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={<Link href="/admin/templates" className="hover:underline">← Templates</Link>}
        title={`${templateLabel(template)} · ${language}`}
        description={
          current ? (
            <>
              Customized, last saved <DateTime date={current.updatedAt} timeZone={workspace.timezone} />. Empty fields keep the default wording.
            </>
          ) : (
            "Dunwell's default wording. Type in any field to change it; the preview follows as you type."
          )
        }
        actions={
          current ? (
            <InlineActionForm action={resetTemplateAction} submitLabel={`Reset ${language} to default`}>
              <input type="hidden" name="template" value={template} />
              <input type="hidden" name="locale" value={locale} />
            </InlineActionForm>
          ) : null
        }
      />
      <nav aria-label="Language" className="flex flex-wrap gap-2">
        {messageLocales.map((l) => {
          const here = l === locale;
          return (
            <Link
              key={l}
              href={`/admin/templates/${template}?locale=${l}`}
              aria-current={here ? "page" : undefined}
              className={`rounded-full border px-3 py-1 text-sm ${here ? "border-primary bg-primary-subtle font-medium text-primary" : "border-border text-text hover:bg-surface-muted"}`}
            >
              {localeLabel(l)}
              {mine.some((o) => o.locale === l) ? <span className="ml-1.5 text-xs text-muted">customized</span> : null}
            </Link>
          );
        })}
      </nav>
      <TemplateEditor
        key={`${template}:${locale}`}
        template={template}
        locale={locale}
        language={language}
        saved={saved}
        savedKey={current ? current.updatedAt.toISOString() : "default"}
        defaults={defaultCopy(template, locale)}
        initialPreview={{ subject, html, problems }}
      />
      <Card title="Placeholders" description="Replaced with the customer's details when the message is sent. Put optional text in [[double brackets]]: it disappears when a placeholder inside has no value, e.g. “Hello[[ {customerName}]],”.">
        <ul className="flex flex-wrap gap-2">
          {placeholderNames.map((name) => (
            <li key={name}>
              <code className="rounded-sm bg-surface-muted px-1.5 py-0.5 font-mono text-xs text-text">{`{${name}}`}</code>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
