import type { Inngest } from "inngest";
import { claimDueStepsFunction, runStepFunction } from "./dunning";
import { inboxSweepFunction } from "./inbox-sweep";
import { predunningFunction } from "./predunning";
import { processWebhookFunction } from "./process-webhook";

export function dunwellFunctions(inngest: Inngest) {
  return [processWebhookFunction(inngest), inboxSweepFunction(inngest), claimDueStepsFunction(inngest), runStepFunction(inngest), predunningFunction(inngest)];
}
