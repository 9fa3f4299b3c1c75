import type { Metadata } from "next";
import { copyFor } from "@/lib/portal/i18n";
import { PortalFrame } from "./_components/frame";

export const metadata: Metadata = { title: "Not found", robots: { index: false, follow: false } };

/** A tampered or unknown link, or a form reference that is not the customer's: nothing to show, nothing revealed. */
export default function PortalNotFound() {
  const t = copyFor("en");
  return (
    <PortalFrame brand={{ name: "Dunwell" }} sandbox={false} lang="en" t={t}>
      <h1 className="text-2xl font-semibold tracking-tight">{t.notFound.title}</h1>
      <p className="text-sm text-muted">{t.notFound.body}</p>
    </PortalFrame>
  );
}
