import type { NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { cardSessionCookie, exchangeCardLink } from "@/lib/portal/card-links";
import { linkRedirect, tokenFromPath } from "@/lib/portal/link-redirect";

export const dynamic = "force-dynamic";

/**
 * The card-update link of a pre-dunning email (no case yet). A valid token becomes the card
 * session cookie and the browser goes to /portal/update-card, so the token leaves the
 * address bar; an expired or revoked one ends on the "session ended" page (the next email
 * carries a fresh link); anything else is not found.
 */
export async function GET(_request: NextRequest, { params }: { params: Promise<{ token: string }> }) {
  const result = await exchangeCardLink(await getDb(), tokenFromPath((await params).token));
  const appUrl = getEnv().appUrl;
  if (result.status === "invalid") return linkRedirect("/portal/link-not-found", appUrl);
  const response = linkRedirect(result.status === "session" ? "/portal/update-card" : "/portal/expired", appUrl);
  if (result.status === "session") {
    const cookie = cardSessionCookie(appUrl);
    response.cookies.set(cookie.name, result.cookie, cookie.options);
  }
  return response;
}
