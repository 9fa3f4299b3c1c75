import { receiveResendWebhook } from "@/lib/messaging/resend-webhooks";

export const dynamic = "force-dynamic";

/** Resend's delivery events (delivered, bounced, complained), signed with RESEND_WEBHOOK_SECRET. */
export async function POST(request: Request) {
  const result = await receiveResendWebhook(request);
  return Response.json(result.body, { status: result.status });
}
