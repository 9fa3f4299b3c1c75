import type { NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { linkRedirect, tokenFromPath } from "@/lib/portal/link-redirect";
import { portalSessionCookie, exchangeLinkToken } from "@/lib/portal/sessions";
import { EXPIRED_LINK_COOKIE, EXPIRED_LINK_COOKIE_MAX_AGE } from "./cookie";

export const dynamic = "force-dynamic";

/**
 * The link from the email. A valid token becomes the session cookie and the browser goes
 * to /portal (303), so the token leaves the address bar and history; an expired or revoked
 * one goes to the "email me a new link" page; anything else is not found.
 */
export async function GET(_request: NextRequest, { params }: { params: Promise<{ token: string }> }) {
  const result = await exchangeLinkToken(await getDb(), tokenFromPath((await params).token));
  const appUrl = getEnv().appUrl;
  if (result.status === "invalid") return linkRedirect("/portal/link-not-found", appUrl);
  const session = portalSessionCookie(appUrl);
  const response = linkRedirect(result.status === "session" ? "/portal" : "/portal/expired", appUrl);
  if (result.status === "session") {
    response.cookies.set(session.name, result.cookie, session.options);
    response.cookies.set(EXPIRED_LINK_COOKIE, "", { path: "/portal", maxAge: 0 });
  } else {
    response.cookies.set(EXPIRED_LINK_COOKIE, result.token, { ...session.options, path: "/portal", maxAge: EXPIRED_LINK_COOKIE_MAX_AGE });
  }
  return response;
}
