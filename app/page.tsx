import Link from "next/link";
import { buttonClassName } from "@/components/ui/button";

export default function HomePage() {
  return (
    <main id="main" className="mx-auto flex min-h-dvh max-w-2xl flex-col justify-center gap-6 px-4 py-16">
      <p className="text-sm font-semibold tracking-wide text-primary uppercase">Dunwell</p>
      <h1 className="text-3xl font-semibold tracking-tight text-text sm:text-4xl">
        Recover failed subscription payments, on your own servers.
      </h1>
      <p className="text-base leading-relaxed text-muted sm:text-lg">
        Dunwell is open-source, self-hosted dunning for businesses that bill through Stripe or Chargebee. It retries
        failed payments at the times most likely to succeed while respecting card-network rules, sends reminders that
        explain the actual decline in your customer’s language, and gives every customer a branded page where they can
        update their card, pay now, split the balance into installments, or promise a date to pay.
      </p>
      <div>
        <Link href="/admin" className={buttonClassName({ size: "lg" })}>
          Sign in to the admin
        </Link>
      </div>
    </main>
  );
}
