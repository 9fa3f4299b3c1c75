import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { isProviderError } from "@/lib/billing/errors";
import { getDb, type Db } from "@/lib/db/client";
import { isAppError, type ErrorCode } from "@/lib/errors";
import { logger } from "@/lib/log";
import { parseInput } from "@/lib/validation";
import { cardSessionCookie, readCardSession } from "./card-links";
import { loadPortalCase, loadPortalCustomer, type PortalCase, type PortalCustomer } from "./context";
import { portalSessionCookie, readPortalSession } from "./sessions";

/**
 * The portal's only way in: the signed session cookie, checked on every page and action,
 * and the one case it names, loaded through its workspace and customer. Nothing else in a
 * request (ids in forms or URLs) widens what the session can see.
 */

export async function currentPortalCase(): Promise<PortalCase | null> {
  const jar = await cookies();
  const db = await getDb();
  const session = await readPortalSession(db, jar.get(portalSessionCookie().name)?.value);
  return session ? loadPortalCase(db, session) : null;
}

/** The customer of a card-update link's session (pre-dunning: no case), or null. */
async function currentCardCustomer(): Promise<PortalCustomer | null> {
  const jar = await cookies();
  const db = await getDb();
  const claims = await readCardSession(db, jar.get(cardSessionCookie().name)?.value);
  return claims ? loadPortalCustomer(db, claims) : null;
}

/** For pages: the case, or the card-update page of a card session, or the "session ended" page. */
export async function requirePortalCase(): Promise<PortalCase> {
  const p = await currentPortalCase();
  if (p) return p;
  if (await currentCardCustomer()) redirect("/portal/update-card");
  redirect("/portal/expired");
}

/** For the pages both kinds of session reach (card update, the sandbox form, results): a case session first. */
export async function currentPortalCustomer(): Promise<PortalCustomer | PortalCase | null> {
  return (await currentPortalCase()) ?? (await currentCardCustomer());
}

export async function requirePortalCustomer(): Promise<PortalCustomer | PortalCase> {
  const p = await currentPortalCustomer();
  if (!p) redirect("/portal/expired");
  return p;
}

export const hasCase = (p: PortalCustomer | PortalCase): p is PortalCase => "c" in p;

/**
 * A portal form's server action: session, zod input, one lib call that returns where to go
 * next. Forms work without JavaScript, so errors travel as `?error=<code>` to `back`.
 */
export function portalAction<S extends z.ZodType>(schema: S, back: string, run: (input: z.output<S>, p: PortalCase, db: Db) => Promise<string>) {
  return guardedAction(schema, back, currentPortalCase, run);
}

/** The same, for the actions a card session may take too (update the card). */
export function portalCustomerAction<S extends z.ZodType>(schema: S, back: string | ((p: PortalCustomer | PortalCase) => string), run: (input: z.output<S>, p: PortalCustomer | PortalCase, db: Db) => Promise<string>) {
  return guardedAction(schema, back, currentPortalCustomer, run);
}

function guardedAction<S extends z.ZodType, P extends PortalCustomer>(schema: S, backTo: string | ((p: P) => string), load: () => Promise<P | null>, run: (input: z.output<S>, p: P, db: Db) => Promise<string>) {
  return async (formData: FormData): Promise<void> => {
    const p = await load();
    if (!p) redirect("/portal/expired");
    const back = typeof backTo === "string" ? backTo : backTo(p);
    let target: string;
    try {
      target = await run(parseInput(schema, Object.fromEntries(formData)), p, await getDb());
    } catch (error) {
      // The provider refusing a state change (the invoice was paid meanwhile) is a conflict; an outage, unavailable.
      const code: ErrorCode = isAppError(error) ? error.code : isProviderError(error) ? (error.retryable ? "unavailable" : "conflict") : "internal";
      if (code === "internal") logger.error("portal action failed", { customerId: p.customer.id, error: String(error) });
      // A case that closed meanwhile (paid elsewhere, written off): the overview says so.
      target = code === "conflict" ? "/portal" : `${back}${back.includes("?") ? "&" : "?"}error=${code}`;
    }
    redirect(target);
  };
}
