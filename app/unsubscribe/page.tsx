import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { getDb } from "@/lib/db/client";
import { isAppError } from "@/lib/errors";
import { describeUnsubscribe } from "@/lib/messaging/unsubscribe";

export const metadata: Metadata = { title: "Unsubscribe", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ token?: string | string[] }> };

function Frame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col justify-center gap-6 px-4 py-12">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      {children}
    </main>
  );
}

/**
 * The footer link of every reminder. It asks before unsubscribing (link scanners open pages
 * on their own), works without signing in, and says what happened. Mail clients' one-click
 * unsubscribe skips this page and POSTs to /api/unsubscribe.
 */
export default async function UnsubscribePage({ searchParams }: Props) {
  const raw = (await searchParams).token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  let state: Awaited<ReturnType<typeof describeUnsubscribe>>;
  try {
    state = await describeUnsubscribe(await getDb(), token);
  } catch (error) {
    if (!isAppError(error)) throw error;
    return (
      <Frame title="This link doesn't work">
        <Alert variant="error">{error.message}</Alert>
      </Frame>
    );
  }

  const what = state.channel === "sms" ? "text messages" : "emails";
  if (state.suppressed === "unsubscribed") {
    return (
      <Frame title="You're unsubscribed">
        <Alert variant="success" title="Done">
          {state.recipient} will get no more payment reminder {what} from {state.workspaceName}.
        </Alert>
        <p className="text-sm text-muted">
          Receipts and confirmations of payments you make still arrive. If your payment is still outstanding, the service may end when it runs out; contact{" "}
          {state.workspaceName} to sort it out.
        </p>
      </Frame>
    );
  }
  if (state.suppressed) {
    return (
      <Frame title="Already stopped">
        <Alert variant="info">{state.workspaceName} already sends no {what} to {state.recipient}.</Alert>
      </Frame>
    );
  }
  return (
    <Frame title="Unsubscribe from payment reminders">
      <Card className="space-y-4 p-6">
        <p className="text-sm">
          Stop payment reminder {what} from <strong>{state.workspaceName}</strong> to <strong>{state.recipient}</strong>?
        </p>
        <form method="post" action={`/api/unsubscribe?token=${encodeURIComponent(token ?? "")}`}>
          <Button type="submit" className="w-full">Unsubscribe</Button>
        </form>
        <p className="text-sm text-muted">Receipts for payments you make are still sent. You don't need an account or password.</p>
      </Card>
    </Frame>
  );
}
