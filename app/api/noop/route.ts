export const dynamic = "force-dynamic";

/** A route that does nothing: the baseline of `npm run bench:webhooks`. */
export async function POST(request: Request) {
  await request.text();
  return Response.json({ received: true });
}
