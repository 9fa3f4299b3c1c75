import type { Metadata } from "next";
import { cookies } from "next/headers";
import { Alert } from "@/components/ui/alert";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/input";
import { getDb } from "@/lib/db/client";
import { publicFrame } from "@/lib/portal/public-frame";
import { portalSessionCookie } from "@/lib/portal/sessions";
import { freshLinkAction } from "../actions";
import { param, type SearchParams } from "../_components/case-page";
import { PortalFrame } from "../_components/frame";
import { SubmitButton } from "../_components/submit-button";
import { EXPIRED_LINK_COOKIE } from "../l/[token]/cookie";

export const metadata: Metadata = { title: "Link expired", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

/**
 * An expired (or revoked) link: a form that emails a fresh link to the address on file,
 * answering the same whether or not the address matches. Without such a link (the session
 * simply ended), it says to open the email's link again.
 */
export default async function ExpiredPage({ searchParams }: { searchParams: SearchParams }) {
  const jar = await cookies();
  const link = jar.get(EXPIRED_LINK_COOKIE)?.value;
  const frame = await publicFrame(await getDb(), { link, session: jar.get(portalSessionCookie().name)?.value });
  const { t } = frame.text;
  const sent = param(await searchParams, "sent") === "1";
  return (
    <PortalFrame brand={frame.brand} sandbox={frame.sandbox} lang={frame.text.locale} t={t}>
      {sent ? (
        <>
          <h1 className="text-2xl font-semibold tracking-tight">{t.expired.sentTitle}</h1>
          <Alert variant="success">{t.expired.sent}</Alert>
        </>
      ) : link ? (
        <>
          <h1 className="text-2xl font-semibold tracking-tight">{t.expired.title}</h1>
          <p className="text-sm text-muted">{t.expired.body}</p>
          <Card>
            <form action={freshLinkAction} className="space-y-4">
              <Field label={t.expired.emailLabel} required>
                <Input type="email" name="email" autoComplete="email" inputMode="email" required className="h-11" />
              </Field>
              <SubmitButton className="w-full">{t.expired.submit}</SubmitButton>
            </form>
          </Card>
        </>
      ) : (
        <>
          <h1 className="text-2xl font-semibold tracking-tight">{t.expired.sessionTitle}</h1>
          <Alert variant="info">{t.expired.sessionBody}</Alert>
        </>
      )}
    </PortalFrame>
  );
}
