import { getDb } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { receiveUnsubscribe } from "@/lib/messaging/unsubscribe";

export const dynamic = "force-dynamic";

/** One-click unsubscribe (RFC 8058) from mail clients, and the unsubscribe page's form. No sign-in: the signed token is the authority. */
export async function POST(request: Request) {
  const result = await receiveUnsubscribe(await getDb(), request);
  if (result.location) return new Response(null, { status: result.status, headers: { Location: result.location } });
  return Response.json(result.body, { status: result.status });
}

/** Someone opened the List-Unsubscribe address in a browser: show the page, which asks first. */
export async function GET(request: Request) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return Response.redirect(`${getEnv().appUrl}/unsubscribe?token=${encodeURIComponent(token)}`, 303);
}
