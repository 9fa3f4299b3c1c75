import { FlaskConical, Lock } from "lucide-react";
import type { CSSProperties, ReactNode } from "react";
import { accessibleBrandColor, type PortalBrand } from "@/components/portal/portal-shell";
import type { PortalCopy } from "@/lib/portal/i18n";

/**
 * PortalShell's calm, branded column with its words in the customer's language (the shared
 * shell's chrome is English-only; it could take these labels as a prop and replace this).
 * `lang` sits on the frame because the root layout owns <html>.
 */
export function PortalFrame({ brand, sandbox, lang, t, children }: { brand: PortalBrand; sandbox: boolean; lang: string; t: PortalCopy; children: ReactNode }) {
  const color = accessibleBrandColor(brand.color);
  const style = color ? ({ "--brand": color, "--brand-foreground": "#ffffff" } as CSSProperties) : undefined;
  return (
    <div lang={lang} style={style} className="flex min-h-dvh flex-col bg-background text-text">
      <a href="#main" className="sr-only z-50 rounded-control bg-surface px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2">
        {t.shell.skip}
      </a>
      <header className="border-b border-border bg-surface">
        {sandbox ? (
          <p className="flex items-center justify-center gap-2 bg-warning px-4 py-2 text-center text-sm font-semibold text-white">
            <FlaskConical aria-hidden="true" className="size-4 shrink-0" />
            {t.shell.sandbox}
          </p>
        ) : null}
        <div className="border-t-4 border-t-brand">
          <div className="mx-auto flex max-w-lg flex-col gap-1.5 px-4 py-4">
            {brand.logoUrl ? (
              <img src={brand.logoUrl} alt={brand.name} height={32} className="h-8 w-auto max-w-48 object-contain object-left" />
            ) : (
              <p className="text-lg font-semibold tracking-tight">{brand.name}</p>
            )}
            <p className="flex items-center gap-1.5 text-sm text-muted">
              <Lock aria-hidden="true" className="size-3.5 shrink-0" />
              {t.shell.secure(brand.name)}
            </p>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-lg flex-1 space-y-6 px-4 py-6 outline-none sm:py-10">
        {children}
      </main>
      <footer className="border-t border-border">
        <div className="mx-auto max-w-lg space-y-1 px-4 py-6 text-sm text-muted">
          {brand.supportEmail ? (
            <p>
              {t.shell.questions}{" "}
              <a href={`mailto:${brand.supportEmail}`} className="font-medium text-brand underline underline-offset-2">
                {brand.supportEmail}
              </a>
            </p>
          ) : null}
          <p>{t.shell.cardNote(brand.name)}</p>
        </div>
      </footer>
    </div>
  );
}
