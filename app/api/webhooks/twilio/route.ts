import { receiveTwilioWebhook } from "@/lib/messaging/inbound-sms";

export const dynamic = "force-dynamic";

/** Texts to our Twilio number (STOP, START…), signed with TWILIO_AUTH_TOKEN; answered with empty TwiML. */
export async function POST(request: Request) {
  const result = await receiveTwilioWebhook(request);
  return new Response(result.body, { status: result.status, headers: { "content-type": result.contentType } });
}
