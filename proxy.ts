import { NextResponse, type NextRequest } from "next/server";

// Auth.js session cookie names (plain on http, __Secure- on https).
const SESSION_COOKIES = ["authjs.session-token", "__Secure-authjs.session-token"];

/**
 * A fast, optimistic guard: no session cookie → the sign-in page. It is not the
 * authorization: every admin layout, page and action checks the session and role again.
 */
export function proxy(request: NextRequest) {
  const hasSession = SESSION_COOKIES.some((name) => request.cookies.has(name));
  if (!hasSession) {
    const url = new URL("/signin", request.url);
    url.searchParams.set("callbackUrl", request.nextUrl.pathname + request.nextUrl.search);
    return NextResponse.redirect(url);
  }
  return NextResponse.next();
}

export const config = { matcher: ["/admin", "/admin/:path*"] };
