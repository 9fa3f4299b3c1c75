"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { after } from "next/server";
import { z } from "zod";
import { operatorAction, type ActionResult } from "@/lib/actions";
import type { Actor } from "@/lib/audit";
import type { OperatorContext } from "@/lib/auth/guard";
import { addConnection, getConnection, removeConnection, rotateSecrets, setRetryOwner, type AddConnectionInput } from "@/lib/billing/connections";
import { dispatchInboxEvent } from "@/lib/billing/dispatch";
import { replayInboxEvent } from "@/lib/billing/process";
import { providerFor } from "@/lib/billing/providers";
import { syncConnection } from "@/lib/billing/sync";
import { getDb } from "@/lib/db/client";
import { AppError, isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";

const CONNECTIONS = "/admin/connections";

const actorOf = (context: OperatorContext): Actor => ({ kind: "user", userId: context.user.id });
/** An empty form field means "not given". */
const optional = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().optional());
const required = (message: string) => z.string({ error: message }).trim().min(1, message);
const idInput = z.object({ id: required("the form lost its record id; reload the page") });
const retryOwner = z.enum(["dunwell", "provider"], { error: "choose who retries failed payments" });

const addConnectionForm = z.discriminatedUnion("provider", [
  z.object({
    provider: z.literal("stripe"),
    name: optional,
    retryOwner,
    apiBase: optional,
    secretKey: required("enter the Stripe secret key (sk_…) or restricted key (rk_…)"),
    webhookSecret: optional,
    webhookSecretSecond: optional,
    publishableKey: optional,
  }),
  z.object({
    provider: z.literal("chargebee"),
    name: optional,
    retryOwner,
    apiBase: optional,
    site: required("enter your Chargebee site name"),
    apiKey: required("enter the Chargebee API key"),
    webhookUsername: required("choose a webhook username"),
    webhookPassword: required("choose a webhook password"),
  }),
  z.object({ provider: z.literal("sandbox"), name: optional, retryOwner }),
], { error: "choose Stripe, Chargebee or the sandbox" });

function toAddInput(form: z.output<typeof addConnectionForm>, workspaceId: string): AddConnectionInput {
  switch (form.provider) {
    case "stripe": {
      const { webhookSecret, webhookSecretSecond, ...rest } = form;
      return { ...rest, workspaceId, webhookSecrets: [webhookSecret, webhookSecretSecond].filter((s): s is string => Boolean(s)) };
    }
    case "chargebee":
    case "sandbox":
      return { ...form, workspaceId };
  }
}

const addConnectionRun = operatorAction("owner", addConnectionForm, async (form, context) => {
  const connection = await addConnection(await getDb(), toAddInput(form, context.workspace.id), actorOf(context));
  revalidatePath(CONNECTIONS);
  return { message: `${connection.name} connected.`, data: { id: connection.id } };
});

/** On success the connections page takes over and shows the webhook URL to register. */
export async function addConnectionAction(_previous: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await addConnectionRun(null, formData);
  if (result.ok && result.data) redirect(`${CONNECTIONS}?added=${encodeURIComponent(result.data.id)}`);
  return result;
}

export const testConnectionAction = operatorAction("admin", idInput, async ({ id }, context) => {
  const db = await getDb();
  const connection = await getConnection(db, id, context.workspace.id);
  try {
    const { account, livemode } = await providerFor(db, connection).testConnection();
    return { message: `${connection.name} answered: account ${account}, ${livemode ? "live" : "test"} mode.` };
  } catch (error) {
    if (isAppError(error)) throw error;
    // A network failure is the operator's to fix (URL, firewall), so say what it was.
    throw new AppError("unavailable", `${connection.name} could not be reached: ${error instanceof Error ? error.message : String(error)}`);
  }
});

export const syncConnectionAction = operatorAction("owner", idInput, async ({ id }, context) => {
  const db = await getDb();
  const connection = await getConnection(db, id, context.workspace.id);
  // The page answers at once; the sync writes its progress to the connection, which the
  // page polls (a failure is recorded there too, so the log line is all that is left to do).
  after(async () => {
    try {
      await syncConnection(db, connection.id, { workspaceId: context.workspace.id });
    } catch (error) {
      logger.warn(`sync of ${connection.id} failed`, { error: String(error) });
    }
  });
  revalidatePath(CONNECTIONS);
  return { message: "Sync started" };
});

export const setRetryOwnerAction = operatorAction("owner", idInput.extend({ retryOwner }), async ({ id, retryOwner: owner }, context) => {
  const connection = await setRetryOwner(await getDb(), context.workspace.id, id, owner, actorOf(context));
  revalidatePath(CONNECTIONS);
  return {
    message: owner === "dunwell"
      ? `Dunwell now retries failed payments of ${connection.name}. Make sure the provider's automatic retries are off.`
      : `${connection.name} retries failed payments; Dunwell only communicates.`,
  };
});

const rotateForm = idInput.extend({
  secretKey: optional,
  webhookSecret: optional,
  webhookSecretSecond: optional,
  apiKey: optional,
  webhookUsername: optional,
  webhookPassword: optional,
});

export const rotateSecretsAction = operatorAction("owner", rotateForm, async (form, context) => {
  const db = await getDb();
  const connection = await getConnection(db, form.id, context.workspace.id);
  if (form.webhookSecretSecond && !form.webhookSecret) throw new AppError("invalid_input", "Enter the new signing secret first; the second field only keeps an older one accepted.");
  const change =
    connection.provider === "stripe"
      ? { secretKey: form.secretKey, webhookSecrets: form.webhookSecret ? [form.webhookSecret, ...(form.webhookSecretSecond ? [form.webhookSecretSecond] : [])] : undefined }
      : connection.provider === "chargebee"
        ? { apiKey: form.apiKey, webhookUsername: form.webhookUsername, webhookPassword: form.webhookPassword }
        : {};
  const given = Object.entries(change).filter(([, value]) => value !== undefined);
  if (given.length === 0) throw new AppError("invalid_input", "Nothing to change: fill in at least one new secret.");
  await rotateSecrets(db, context.workspace.id, connection.id, Object.fromEntries(given), actorOf(context));
  revalidatePath(CONNECTIONS);
  return { message: `Secrets of ${connection.name} replaced (${given.length === 1 ? "1 field" : `${given.length} fields`}). Dunwell uses the new values from now on.` };
});

const removeConnectionRun = operatorAction("owner", idInput, async ({ id }, context) => {
  const db = await getDb();
  const connection = await getConnection(db, id, context.workspace.id);
  await removeConnection(db, context.workspace.id, id, actorOf(context));
  revalidatePath(CONNECTIONS);
  return { message: `${connection.name} removed.`, data: { name: connection.name } };
});

/** The removed row disappears, so the confirmation moves to the page's URL. */
export async function removeConnectionAction(_previous: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await removeConnectionRun(null, formData);
  if (result.ok && result.data) redirect(`${CONNECTIONS}?removed=${encodeURIComponent(result.data.name)}`);
  return result;
}

export const replayInboxEventAction = operatorAction("admin", idInput, async ({ id }, context) => {
  const db = await getDb();
  await replayInboxEvent(db, context.workspace.id, id, actorOf(context));
  after(() => dispatchInboxEvent(db, id));
  revalidatePath("/admin/inbox");
  revalidatePath(`/admin/inbox/${id}`);
  return { message: "Replayed: the event is back in the queue with its attempts reset and is being processed now." };
});
