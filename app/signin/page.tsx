import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Alert, Button, Card } from "@/components/ui";
import { getOperatorContext } from "@/lib/auth/guard";
import { getEnv } from "@/lib/env";
import { requestSignIn } from "./actions";
import { SignInForm } from "./signin-form";

export const metadata: Metadata = { title: "Sign in" };

const errors: Record<string, string> = {
  Verification: "That sign-in link has expired or was already used. Ask for a new one below.",
  AccessDenied: "This account is not an operator of any Dunwell workspace. Ask a workspace owner to invite you.",
  Configuration: "Sign-in is not configured correctly on this server. Check the server log.",
};

type Props = { searchParams: Promise<{ error?: string; callbackUrl?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const { error, callbackUrl } = await searchParams;
  if (await getOperatorContext()) redirect("/admin");
  const target = callbackUrl?.startsWith("/") ? callbackUrl : "/admin";
  const { oauth } = getEnv();
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 px-4 py-12">
      <h1 className="text-2xl font-semibold">Sign in to Dunwell</h1>
      {error ? <Alert variant="error">{errors[error] ?? "Sign-in failed. Try again."}</Alert> : null}
      <Card className="space-y-4 p-6">
        <SignInForm callbackUrl={target} />
        {oauth.github || oauth.google ? (
          <form action={async (formData) => { "use server"; await requestSignIn(null, formData); }} className="space-y-2">
            <input type="hidden" name="callbackUrl" value={target} />
            {oauth.github ? <Button type="submit" name="provider" value="github" variant="secondary" className="w-full">Continue with GitHub</Button> : null}
            {oauth.google ? <Button type="submit" name="provider" value="google" variant="secondary" className="w-full">Continue with Google</Button> : null}
          </form>
        ) : null}
      </Card>
      <p className="text-sm text-muted">Only invited operators can sign in. There are no passwords: we email you a link that works once.</p>
    </main>
  );
}
