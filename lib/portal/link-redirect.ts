import { NextResponse } from "next/server";

/**
 * The answer of a link route (a case link or a card link): a 303 to the page that follows,
 * never cached, and sending no Referer, since the address that led here held the token.
 */
export function linkRedirect(path: string, appUrl: string): NextResponse {
  const response = NextResponse.redirect(new URL(path, appUrl), 303);
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("Referrer-Policy", "no-referrer");
  return response;
}

/** Tokens are URL-safe already; a mangled escape in a pasted link must not become a 500. */
export function tokenFromPath(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
