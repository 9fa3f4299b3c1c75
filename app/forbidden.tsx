import Link from "next/link";

export default function Forbidden() {
  return (
    <main className="mx-auto max-w-md space-y-4 px-4 py-16">
      <h1 className="text-2xl font-semibold">You don’t have access to this page</h1>
      <p>Your role in this workspace does not allow it. Ask a workspace owner if you need it.</p>
      <Link className="underline" href="/admin">Back to the overview</Link>
    </main>
  );
}
