import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { Badge, buttonClassName, Table, TBody, Td, Th, THead, Tr } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { messageTemplates, type MessageTemplate } from "@/lib/dunning/types";
import { messageLocales, resolveMessageLocale } from "@/lib/messaging/locale";
import { listOverrides } from "@/lib/messaging/overrides";
import { localeLabel, templateLabel } from "../outbox/_components/message-ui";

export const metadata: Metadata = { title: "Templates" };

/** When each message goes out, so an operator knows which one they are rewording. */
const sentWhen: Record<MessageTemplate, string> = {
  payment_failed: "First notice after a payment fails",
  reminder: "Later reminders while the invoice is open",
  final_notice: "Last message before the policy's final action",
  action_required: "The bank asks the customer to confirm (3-D Secure)",
  card_expiring: "Before a renewal, when the card on file expires",
  payment_recovered: "Receipt when a failed payment is collected",
  installment_confirmed: "The customer set up an installment plan",
  installment_upcoming: "Before each installment is charged",
  installment_failed: "An installment could not be charged",
  promise_confirmed: "The customer promised to pay by a date",
  help_received: "The customer asked for help from the portal",
};

export default async function TemplatesPage() {
  const { workspace } = await requireOperator("admin");
  const overrides = await listOverrides(await getDb(), workspace.id);
  const customized = new Set(overrides.map((o) => `${o.template}:${o.locale}`));
  const defaultLocale = resolveMessageLocale(null, workspace.defaultLocale);

  return (
    <div className="space-y-4">
      <PageHeader
        title="Message templates"
        description="The words customers read, per template and language. Change a subject or any block of a message; fields you leave alone keep Dunwell's default copy, which follows the decline reason and the step's tone."
        actions={
          <Link href="/admin/branding" className={buttonClassName({ variant: "secondary" })}>
            Branding
          </Link>
        }
      />
      <Table caption="Templates and the languages they are written in" hideCaption>
        <THead>
          <Tr>
            <Th>Template</Th>
            {messageLocales.map((locale) => (
              <Th key={locale}>
                {localeLabel(locale)}
                {locale === defaultLocale ? <span className="ml-1.5 text-xs font-normal text-muted">default</span> : null}
              </Th>
            ))}
          </Tr>
        </THead>
        <TBody>
          {messageTemplates.map((template) => (
            <Tr key={template}>
              <Td>
                <Link href={`/admin/templates/${template}?locale=${defaultLocale}`} className="font-medium text-primary underline-offset-4 hover:underline">
                  {templateLabel(template)}
                </Link>
                <p className="text-xs text-muted">{sentWhen[template]}</p>
              </Td>
              {messageLocales.map((locale) => (
                <Td key={locale}>
                  <Link
                    href={`/admin/templates/${template}?locale=${locale}`}
                    className="inline-flex items-center underline-offset-4 hover:underline"
                    aria-label={`${templateLabel(template)} in ${localeLabel(locale)}: ${customized.has(`${template}:${locale}`) ? "customized" : "default wording"}`}
                  >
                    {customized.has(`${template}:${locale}`) ? <Badge variant="primary">Customized</Badge> : <span className="text-sm text-muted">Default</span>}
                  </Link>
                </Td>
              ))}
            </Tr>
          ))}
        </TBody>
      </Table>
      <p className="text-sm text-muted">
        Customers get the language of their billing profile when Dunwell has copy for it, otherwise the workspace&rsquo;s default ({localeLabel(defaultLocale)}).
      </p>
    </div>
  );
}
