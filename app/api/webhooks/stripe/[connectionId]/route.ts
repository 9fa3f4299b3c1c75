import { after } from "next/server";
import { receiveWebhook } from "@/lib/billing/webhooks";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ connectionId: string }> }) {
  const { connectionId } = await params;
  const result = await receiveWebhook("stripe", connectionId, request, { defer: after });
  return Response.json(result.body, { status: result.status });
}
