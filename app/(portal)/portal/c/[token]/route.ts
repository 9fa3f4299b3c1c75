import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { cardSessionCookie, exchangeCardLink } from "@/lib/portal/card-links";

export const dynamic = "force-dynamic";

/**
 * The card-update link of a pre-dunning email (no case yet). A valid token becomes the card
 * session cookie and the browser goes to /portal/update-card (303), so the token leaves the
 * address bar; an expired or revoked one ends on the "session ended" page (the next email
 * carries a fresh link); anything else is not found.
 */
export async function GET(_request: NextRequest, { params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const result = await exchangeCardLink(await getDb(), safeDecode(token));
  const appUrl = getEnv().appUrl;
  if (result.status === "invalid") return NextResponse.redirect(new URL("/portal/link-not-found", appUrl), 303);
  const response = NextResponse.redirect(new URL(result.status === "session" ? "/portal/update-card" : "/portal/expired", appUrl), 303);
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("Referrer-Policy", "no-referrer");
  if (result.status === "session") {
    const cookie = cardSessionCookie(appUrl);
    response.cookies.set(cookie.name, result.cookie, cookie.options);
  }
  return response;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
