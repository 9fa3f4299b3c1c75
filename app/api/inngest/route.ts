import { serve } from "inngest/next";
import { getInngest } from "@/inngest/client";
import { dunwellFunctions } from "@/inngest/functions";

export const dynamic = "force-dynamic";

// Built on first request so `next build` needs no Inngest keys.
let handler: ReturnType<typeof serve> | undefined;
const get = () => {
  const inngest = getInngest();
  handler ??= serve({ client: inngest, functions: dunwellFunctions(inngest) });
  return handler;
};

export const GET = (request: Request, context: unknown) => get().GET(request as never, context);
export const POST = (request: Request, context: unknown) => get().POST(request as never, context);
export const PUT = (request: Request, context: unknown) => get().PUT(request as never, context);
