import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { portalSessionCookie, exchangeLinkToken } from "@/lib/portal/sessions";
import { EXPIRED_LINK_COOKIE, EXPIRED_LINK_COOKIE_MAX_AGE } from "./cookie";

export const dynamic = "force-dynamic";

/**
 * The link from the email. A valid token becomes the session cookie and the browser goes
 * to /portal (303), so the token leaves the address bar and history; an expired or revoked
 * one goes to the "email me a new link" page; anything else is not found.
 */
export async function GET(_request: NextRequest, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const result = await exchangeLinkToken(await getDb(), safeDecode(token));
  const appUrl = getEnv().appUrl;
  if (result.status === "invalid") return NextResponse.redirect(new URL("/portal/link-not-found", appUrl), 303);
  const session = portalSessionCookie(appUrl);
  const response = NextResponse.redirect(new URL(result.status === "session" ? "/portal" : "/portal/expired", appUrl), 303);
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("Referrer-Policy", "no-referrer");
  if (result.status === "session") {
    response.cookies.set(session.name, result.cookie, session.options);
    response.cookies.set(EXPIRED_LINK_COOKIE, "", { path: "/portal", maxAge: 0 });
  } else {
    response.cookies.set(EXPIRED_LINK_COOKIE, result.token, { ...session.options, path: "/portal", maxAge: EXPIRED_LINK_COOKIE_MAX_AGE });
  }
  return response;
}

/** Tokens are URL-safe already; a mangled escape in a pasted link must not become a 500. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
