import { cron, type Inngest } from "inngest";
import { getDb } from "@/lib/db/client";
import { runPredunning } from "@/lib/messaging/predunning";

/**
 * Pre-dunning, hourly: flag cards that expire before their renewal and send the notices that
 * are due (hourly so a notice deferred to a customer's sending hours goes out in them).
 */
export function predunningFunction(inngest: Inngest) {
  return inngest.createFunction({ id: "messaging-predunning", triggers: [cron("7 * * * *")], concurrency: { limit: 1 } }, async ({ step }) => {
    return step.run("flag-and-send", async () => runPredunning(await getDb()));
  });
}
