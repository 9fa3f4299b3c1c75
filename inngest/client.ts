import { eventType, Inngest } from "inngest";
import { z } from "zod";
import { getEnv } from "@/lib/env";

/** Every Dunwell event, named domain/noun.verb and typed once. */
export const webhookReceived = eventType("billing/webhook.received", {
  schema: z.object({ eventId: z.string().min(1) }),
});

export const stepDue = eventType("dunning/step.due", {
  schema: z.object({ stepId: z.string().min(1), workspaceId: z.string().min(1), caseId: z.string().min(1), connectionId: z.string().optional() }),
});

let client: Inngest | undefined;

/** Built once, lazily, from the env module (never at import: `next build` imports routes). */
export function getInngest(): Inngest {
  if (client) return client;
  const env = getEnv();
  client = new Inngest({
    id: "dunwell",
    eventKey: env.inngest.eventKey,
    signingKey: env.inngest.signingKey,
    baseUrl: env.inngest.baseUrl,
    isDev: env.inngest.dev,
  });
  return client;
}
