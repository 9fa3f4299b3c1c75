import { subMonths, subYears } from "date-fns";
import { eq } from "drizzle-orm";
import { connections } from "@/drizzle/schema";
import type { ProviderContext } from "../types";
import { createCustomer, createSubscription, renewSubscription, type CardInput } from "./simulate";
import { listObjects, type SandboxContext } from "./store";

/**
 * The embedded demo's billing account: eight subscribers across locales, countries,
 * currencies and time zones, each renewed once so the inbox fills with what a real month
 * brings — paid invoices, and failures of every kind Dunwell treats differently.
 */

type DemoCustomer = {
  name: string;
  email: string;
  locale: string;
  country: string;
  timezone: string;
  currency: string;
  plan: string;
  amount: number;
  interval: "month" | "year";
  card: CardInput | ((now: Date) => CardInput);
};

const WEEK_MS = 7 * 24 * 3600 * 1000;

const demoCustomers: DemoCustomer[] = [
  { name: "Ada Lindqvist", email: "ada@northwind.example", locale: "en", country: "GB", timezone: "Europe/London", currency: "gbp", plan: "Team", amount: 4900, interval: "month", card: "tok_visa" },
  { name: "Jonas Becker", email: "jonas@brauhaus.example", locale: "de", country: "DE", timezone: "Europe/Berlin", currency: "eur", plan: "Pro", amount: 2900, interval: "month", card: "tok_insufficient_funds" },
  { name: "Camille Martin", email: "camille@atelier.example", locale: "fr", country: "FR", timezone: "Europe/Paris", currency: "eur", plan: "Business", amount: 39000, interval: "year", card: "tok_expired_card" },
  { name: "Lucía García", email: "lucia@mercado.example", locale: "es", country: "ES", timezone: "Europe/Madrid", currency: "eur", plan: "Pro", amount: 2900, interval: "month", card: "tok_authentication_required" },
  { name: "Marcus Reed", email: "marcus@reedlabs.example", locale: "en", country: "US", timezone: "America/New_York", currency: "usd", plan: "Starter", amount: 1200, interval: "month", card: "tok_generic_decline" },
  {
    name: "Priya Nair",
    email: "priya@lumen.example",
    locale: "en",
    country: "US",
    timezone: "America/Los_Angeles",
    currency: "usd",
    plan: "Team",
    amount: 4900,
    interval: "month",
    // Payday next week: declines with insufficient_funds until then, pays after.
    card: (now) => ({ token: "tok_visa", declineUntil: new Date(now.getTime() + WEEK_MS).toISOString() }),
  },
  { name: "Hélène Dubois", email: "helene@boulangerie.example", locale: "fr", country: "CA", timezone: "America/Montreal", currency: "usd", plan: "Starter", amount: 1200, interval: "month", card: "tok_mastercard" },
  { name: "Mateo Fernández", email: "mateo@surf.example", locale: "es", country: "MX", timezone: "America/Mexico_City", currency: "usd", plan: "Pro", amount: 29000, interval: "year", card: "tok_visa" },
];

export type DemoSeedResult = { created: boolean; customers: number; paid: number; failed: number; requiresAction: number };

/** Seed the sandbox account once; a second call finds customers and does nothing. */
export async function seedSandboxDemo(ctx: ProviderContext): Promise<DemoSeedResult> {
  return ctx.db.transaction(async (tx) => {
    // One seeder per connection at a time: the row lock makes a concurrent seed wait, then see the customers.
    await tx.select({ id: connections.id }).from(connections).where(eq(connections.id, ctx.connectionId)).for("update");
    const sandbox: SandboxContext = { db: tx, connectionId: ctx.connectionId, clock: ctx.clock };
    const existing = await listObjects({ db: tx, connectionId: ctx.connectionId, now: ctx.clock.now() }, "customer", { limit: 1 });
    const result: DemoSeedResult = { created: false, customers: 0, paid: 0, failed: 0, requiresAction: 0 };
    if (existing.length > 0) return result;
    for (const demo of demoCustomers) {
      const card = typeof demo.card === "function" ? demo.card(ctx.clock.now()) : demo.card;
      const customer = await createCustomer(sandbox, { email: demo.email, name: demo.name, locale: demo.locale, timezone: demo.timezone, country: demo.country, currency: demo.currency, paymentMethod: card });
      // Started one period ago, so the renewal bills the period that begins today.
      const now = ctx.clock.now();
      const startAt = demo.interval === "year" ? subYears(now, 1) : subMonths(now, 1);
      const subscription = await createSubscription(sandbox, { customerId: customer.id, planName: demo.plan, amount: demo.amount, currency: demo.currency, interval: demo.interval, startAt });
      const renewal = await renewSubscription(sandbox, subscription.id);
      result.customers++;
      if (renewal.charge?.status === "succeeded") result.paid++;
      else if (renewal.charge?.status === "requires_action") result.requiresAction++;
      else result.failed++;
    }
    return { ...result, created: true };
  });
}
