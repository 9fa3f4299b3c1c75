import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { isProviderError } from "@/lib/billing/errors";
import { getDb, type Db } from "@/lib/db/client";
import { isAppError, type ErrorCode } from "@/lib/errors";
import { logger } from "@/lib/log";
import { parseInput } from "@/lib/validation";
import { loadPortalCase, type PortalCase } from "./context";
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

/** For pages: the case, or the "session ended" page. */
export async function requirePortalCase(): Promise<PortalCase> {
  const p = await currentPortalCase();
  if (!p) redirect("/portal/expired");
  return p;
}

/**
 * A portal form's server action: session, zod input, one lib call that returns where to go
 * next. Forms work without JavaScript, so errors travel as `?error=<code>` to `back`.
 */
export function portalAction<S extends z.ZodType>(schema: S, back: string, run: (input: z.output<S>, p: PortalCase, db: Db) => Promise<string>) {
  return async (formData: FormData): Promise<void> => {
    const p = await currentPortalCase();
    if (!p) redirect("/portal/expired");
    let target: string;
    try {
      target = await run(parseInput(schema, Object.fromEntries(formData)), p, await getDb());
    } catch (error) {
      // The provider refusing a state change (the invoice was paid meanwhile) is a conflict; an outage, unavailable.
      const code: ErrorCode = isAppError(error) ? error.code : isProviderError(error) ? (error.retryable ? "unavailable" : "conflict") : "internal";
      if (code === "internal") logger.error("portal action failed", { caseId: p.c.id, error: String(error) });
      // A case that closed meanwhile (paid elsewhere, written off): the overview says so.
      target = code === "conflict" ? "/portal" : `${back}${back.includes("?") ? "&" : "?"}error=${code}`;
    }
    redirect(target);
  };
}
