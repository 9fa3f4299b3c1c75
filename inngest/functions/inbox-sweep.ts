import { cron, type Inngest } from "inngest";
import { processPendingInbox } from "@/lib/billing/dispatch";
import { getDb } from "@/lib/db/client";

/** Picks up events whose processing is due again (backoff) or whose first dispatch was lost. */
export function inboxSweepFunction(inngest: Inngest) {
  return inngest.createFunction({ id: "billing-inbox-sweep", triggers: [cron("* * * * *")], concurrency: { limit: 1 } }, async ({ step }) => {
    return step.run("sweep", async () => processPendingInbox(await getDb()));
  });
}
