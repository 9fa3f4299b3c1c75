import type { Inngest } from "inngest";
import { processInboxEvent } from "@/lib/billing/process";
import { getDb } from "@/lib/db/client";
import { webhookReceived } from "../client";

/**
 * Processes one stored webhook. Our own attempt counter and backoff live on the inbox row,
 * so Inngest's retries only cover crashes of this function; "retry" re-queues via the cron.
 */
export function processWebhookFunction(inngest: Inngest) {
  return inngest.createFunction(
    {
      id: "process-billing-webhook",
      triggers: [webhookReceived],
      retries: 3,
      concurrency: { limit: 10 },
    },
    async ({ event, step }) => {
      return step.run("process", async () => processInboxEvent(await getDb(), event.data.eventId));
    },
  );
}
