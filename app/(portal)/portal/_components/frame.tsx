import type { ReactNode } from "react";
import { PortalShell, type PortalBrand } from "@/components/portal/portal-shell";
import type { PortalCopy } from "@/lib/portal/i18n";

/** The branded portal column, in the customer's language. */
export function PortalFrame({ brand, sandbox, lang, t, children }: { brand: PortalBrand; sandbox: boolean; lang: string; t: PortalCopy; children: ReactNode }) {
  return (
    <PortalShell brand={brand} sandbox={sandbox} lang={lang} labels={t.shell}>
      {children}
    </PortalShell>
  );
}
