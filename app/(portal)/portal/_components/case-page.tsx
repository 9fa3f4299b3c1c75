import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import type { PortalCustomer } from "@/lib/portal/context";
import { PortalFrame } from "./frame";

/** A portal page of the session's customer (and case): the branded, localized frame. */
export function CasePage({ p, children }: { p: PortalCustomer; children: ReactNode }) {
  return (
    <PortalFrame brand={p.brand} sandbox={p.sandbox} lang={p.text.locale} t={p.text.t}>
      {children}
    </PortalFrame>
  );
}

export function BackLink({ p }: { p: PortalCustomer }) {
  return (
    <p>
      <Link href="/portal" className="text-sm font-medium text-brand underline underline-offset-2">
        ← {p.text.t.result.back}
      </Link>
    </p>
  );
}

/** The error a form action sent back (`?error=code`), in the customer's words. */
export function ActionError({ p, error, invalid }: { p: PortalCustomer; error: string | undefined; invalid?: string }) {
  if (!error) return null;
  return <Alert variant="error">{error === "invalid_input" && invalid ? invalid : p.text.t.error}</Alert>;
}

export type SearchParams = Promise<Record<string, string | string[] | undefined>>;
export const param = (params: Record<string, string | string[] | undefined>, name: string) => {
  const value = params[name];
  return Array.isArray(value) ? value[0] : value;
};
