import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Check your email" };

export default function CheckEmailPage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-4 px-4 py-12">
      <h1 className="text-2xl font-semibold">Check your email</h1>
      <p>If that address belongs to an operator, a sign-in link is on its way. It works once and expires in 24 hours.</p>
      <p className="text-sm text-muted">
        Running Dunwell without an email provider? The link is printed in the server log. <Link className="underline" href="/signin">Back to sign-in</Link>
      </p>
    </main>
  );
}
