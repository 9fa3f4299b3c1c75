import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/admin/page-header";
import { Card } from "@/components/ui";
import { requireOperator } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { getMessagingSettings } from "@/lib/messaging/settings";
import { BrandingForm } from "./_components/branding-form";

export const metadata: Metadata = { title: "Branding" };

export default async function BrandingPage() {
  const { workspace } = await requireOperator("admin");
  const { branding } = await getMessagingSettings(await getDb(), workspace.id);

  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={<Link href="/admin/templates" className="hover:underline">← Templates</Link>}
        title="Branding"
        description="How every message to your customers looks and who it comes from. Messages already sent keep the branding they had."
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,32rem)_minmax(0,1fr)]">
        <Card className="p-6">
          <BrandingForm saved={branding} workspaceName={workspace.name} />
        </Card>
        <Card title="See it in a message">
          <p className="text-sm text-muted">
            Each template&rsquo;s page previews the message in this branding at desktop and phone widths, and can send you a test.
          </p>
          <Link href="/admin/templates/payment_failed" className="mt-3 inline-block text-sm text-primary underline-offset-4 hover:underline">
            Preview “Payment failed” →
          </Link>
        </Card>
      </div>
    </div>
  );
}
