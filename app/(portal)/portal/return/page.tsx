import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { getDb } from "@/lib/db/client";
import { requirePortalCase } from "@/lib/portal/guard";
import { resultAfterPayment } from "@/lib/portal/results";
import { BackLink, CasePage } from "../_components/case-page";

export const metadata: Metadata = { title: "Welcome back", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/**
 * Back from a provider's hosted page (Chargebee's payment sources or collect-now). The
 * provider's webhook is the confirmation; until it arrives this page says so and shows the
 * latest state on reload. The hosted page's own query (id, state) is never trusted.
 */
export default async function ReturnPage() {
  const p = await requirePortalCase();
  const { t } = p.text;
  const result = await resultAfterPayment(await getDb(), p);
  const paid = result.kind === "paid";
  return (
    <CasePage p={p}>
      <h1 className="text-2xl font-semibold tracking-tight">{paid ? t.result.paidTitle : t.result.pendingTitle}</h1>
      <Alert variant={paid ? "success" : "info"}>{paid ? t.result.paidBody(p.text.money(result.amountMinor, result.currency)) : t.result.pendingBody}</Alert>
      <BackLink p={p} />
    </CasePage>
  );
}
