import { FlaskConical, Lock } from "lucide-react";
import type { CSSProperties, ReactNode } from "react";

export type PortalBrand = {
  name: string;
  /** Hex colour (#rgb or #rrggbb); anything else falls back to the default primary. */
  color?: string;
  /** An https URL (the CSP admits https images), a same-origin path or a data: URL. */
  logoUrl?: string;
  supportEmail?: string;
};

export type PortalShellProps = {
  brand: PortalBrand;
  /** Shows a prominent banner: the sandbox moves no real money. */
  sandbox?: boolean;
  children: ReactNode;
};

/** The page background; the brand colour must reach 4.5:1 against it (and so against white). */
const PAGE_BACKGROUND: Rgb = [0xf6, 0xf8, 0xfa];
type Rgb = [number, number, number];

function parseHex(color: string | undefined): Rgb | null {
  const match = color?.trim().match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i);
  if (!match?.[1]) return null;
  const hex = match[1].length === 3 ? [...match[1]].map((c) => c + c).join("") : match[1];
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const channel = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The workspace colour, darkened just enough for WCAG AA: white text on it, and it as text
 * on the page, both reach 4.5:1. Keeps the hue, so the page still looks like the brand.
 */
export function accessibleBrandColor(color: string | undefined): string | null {
  let rgb = parseHex(color);
  if (!rgb) return null;
  for (let i = 0; i < 60 && contrast(rgb, PAGE_BACKGROUND) < 4.5; i++) {
    rgb = rgb.map((v) => Math.floor(v * 0.95)) as Rgb;
  }
  return `#${rgb.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

/** One calm, branded column for the customer portal, phone first. */
/** The shell's own words; the portal passes them in the customer's language. */
export type PortalShellLabels = {
  skip: string;
  secure: (name: string) => string;
  sandbox: string;
  questions: string;
  cardNote: (name: string) => string;
};

const englishLabels: PortalShellLabels = {
  skip: "Skip to content",
  secure: (name) => `Secure payment page for ${name}`,
  sandbox: "Sandbox — no real money moves",
  questions: "Questions about this payment? Email",
  cardNote: (name) => `Card details go straight to the payment processor; ${name} never sees your full card number.`,
};

/** `lang` sits on the shell because the root layout owns <html>. */
export function PortalShell({ brand, sandbox, children, labels = englishLabels, lang }: PortalShellProps & { labels?: PortalShellLabels; lang?: string }) {
  const color = accessibleBrandColor(brand.color);
  const style = color ? ({ "--brand": color, "--brand-foreground": "#ffffff" } as CSSProperties) : undefined;
  return (
    <div lang={lang} style={style} className="flex min-h-dvh flex-col bg-background text-text">
      <a href="#main" className="sr-only z-50 rounded-control bg-surface px-3 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-2 focus:left-2">
        {labels.skip}
      </a>
      <header className="border-b border-border bg-surface">
        {sandbox ? (
          <p className="flex items-center justify-center gap-2 bg-warning px-4 py-2 text-center text-sm font-semibold text-white">
            <FlaskConical aria-hidden="true" className="size-4 shrink-0" />
            {labels.sandbox}
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
              {labels.secure(brand.name)}
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
              {labels.questions}{" "}
              <a href={`mailto:${brand.supportEmail}`} className="font-medium text-brand underline underline-offset-2">
                {brand.supportEmail}
              </a>
            </p>
          ) : null}
          <p>{labels.cardNote(brand.name)}</p>
        </div>
      </footer>
    </div>
  );
}
