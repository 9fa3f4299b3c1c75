"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { operatorAction, type ActionResult } from "@/lib/actions";
import type { OperatorContext } from "@/lib/auth/guard";
import { getDb } from "@/lib/db/client";
import { formatDateTime } from "@/lib/format";
import { issueOperatorPortalLink, resolveCaseHelpRequest, revokeCasePortalLinks } from "@/lib/portal/operator";

const actorOf = (context: OperatorContext) => ({ kind: "user" as const, userId: context.user.id });
const required = (message: string) => z.string({ error: message }).trim().min(1, message);
const caseInput = z.object({ id: required("the form lost its case id; reload the page") });

function revalidateCase(id: string) {
  revalidatePath(`/admin/cases/${encodeURIComponent(id)}`);
  revalidatePath("/admin/help");
  // The help badge in the navigation.
  revalidatePath("/admin", "layout");
}

const resolveRun = operatorAction("admin", caseInput.extend({ requestId: required("the form lost its request id; reload the page") }), async ({ id, requestId }, context) => {
  await resolveCaseHelpRequest(await getDb(), context.workspace.id, requestId, actorOf(context));
  revalidateCase(id);
  return { message: "Marked resolved.", data: { id } };
});

/** The resolved request leaves the page with its form, so the confirmation moves to the case page's URL. */
export async function resolveHelpRequestAction(_previous: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await resolveRun(null, formData);
  if (result.ok && result.data) redirect(`/admin/cases/${encodeURIComponent(result.data.id)}?done=help_resolved#portal`);
  return result;
}

/** Revoking cannot be undone (the customer needs a new link), so the form asks to confirm with a checkbox; no JavaScript needed. */
const revokeInput = caseInput.extend({ confirm: z.literal("on", { error: "tick the box to confirm: the customer's links stop working at once" }) });

export const revokePortalLinksAction = operatorAction("admin", revokeInput, async ({ id }, context) => {
  await revokeCasePortalLinks(await getDb(), context.workspace.id, id, actorOf(context));
  revalidateCase(id);
  return { message: "Portal links revoked: every link sent so far, and any open portal session, stopped working." };
});

export const portalLinkAction = operatorAction("admin", caseInput, async ({ id }, context) => {
  const { url, expiresAt } = await issueOperatorPortalLink(await getDb(), context.workspace.id, id, actorOf(context));
  revalidateCase(id);
  return { message: `Valid until ${formatDateTime(expiresAt, context.workspace.timezone)}. Anyone with this link can open the customer's portal.`, data: { url } };
});
