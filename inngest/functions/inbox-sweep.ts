import { cron, type Inngest } from "inngest";
import { processPendingInbox } from "@/lib/billing/dispatch";
import { getDb } from "@/lib/db/client";
import { retryFailedNotices } from "@/lib/messaging/notice-retry";

/**
 * The minute's sweep of what failed or got lost: billing events whose processing is due again
 * (backoff) or whose first dispatch was lost, and the portal's notices Resend refused (no engine
 * step retries those; lib/messaging/notice-retry.ts keeps their own backoff).
 */
export function inboxSweepFunction(inngest: Inngest) {
  return inngest.createFunction({ id: "billing-inbox-sweep", triggers: [cron("* * * * *")], concurrency: { limit: 1 } }, async ({ step }) => {
    const inbox = await step.run("sweep", async () => processPendingInbox(await getDb()));
    const notices = await step.run("retry-failed-notices", async () => retryFailedNotices(await getDb()));
    return { ...inbox, notices };
  });
}
