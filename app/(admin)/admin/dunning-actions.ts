"use server";

import { TZDate } from "@date-fns/tz";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { operatorAction, type ActionResult } from "@/lib/actions";
import type { Actor } from "@/lib/audit";
import type { OperatorContext } from "@/lib/auth/guard";
import { processPendingInbox } from "@/lib/billing/dispatch";
import { deliverAllSandboxEvents } from "@/lib/billing/sandbox-delivery";
import { getDb } from "@/lib/db/client";
import { extendCase, pauseCase, replanWithCurrentPolicy, resumeCase, retryNow, settleCase, skipStep } from "@/lib/dunning/case-actions";
import { advanceClock } from "@/lib/dunning/clock";
import { runDueSteps } from "@/lib/dunning/engine";
import { listPolicies, savePolicy } from "@/lib/dunning/policies";
import { validatePolicy, type ValidationError } from "@/lib/dunning/policy";
import { AppError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { applySegmentIntent, draftReach } from "./segments/segment-form";

const actorOf = (context: OperatorContext): Actor => ({ kind: "user", userId: context.user.id });
/** An empty form field means "not given". */
const optional = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().optional());
const required = (message: string) => z.string({ error: message }).trim().min(1, message);
const caseInput = z.object({ id: required("the form lost its case id; reload the page") });
const caseHref = (id: string) => `/admin/cases/${encodeURIComponent(id)}`;

function revalidateCase(id: string) {
  revalidatePath(caseHref(id));
  revalidatePath("/admin/cases");
}

type Action = (previous: ActionResult<unknown> | null, formData: FormData) => Promise<ActionResult<unknown>>;

/**
 * For actions after which the form that ran them is gone (Pause turns into Resume, a skipped
 * step leaves the plan): the confirmation moves to the case page's URL.
 */
function confirmOnPage(run: (previous: null, formData: FormData) => Promise<ActionResult<{ id: string }>>, done: string): Action {
  return async (_previous, formData) => {
    const result = await run(null, formData);
    if (result.ok && result.data) redirect(`${caseHref(result.data.id)}?done=${done}`);
    return result;
  };
}

// ——— Cases ———

const pauseForm = caseInput.extend({
  until: optional.refine((v) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v), "choose a date, e.g. 2026-05-01"),
  reason: required("say why the case is paused; the timeline shows it").max(200, "keep the reason under 200 characters"),
});

export const pauseCaseAction = confirmOnPage(
  operatorAction("admin", pauseForm, async ({ id, until, reason }, context) => {
    // The date means the start of that day in the workspace's time zone.
    const [y, m, d] = (until ?? "").split("-").map(Number);
    const untilDate = until ? new Date(new TZDate(y!, m! - 1, d!, 0, 0, 0, 0, context.workspace.timezone).getTime()) : undefined;
    await pauseCase(await getDb(), context.workspace.id, id, { until: untilDate, reason }, actorOf(context));
    revalidateCase(id);
    return { message: "Case paused.", data: { id } };
  }),
  "paused",
);

export const resumeCaseAction = confirmOnPage(
  operatorAction("admin", caseInput, async ({ id }, context) => {
    await resumeCase(await getDb(), context.workspace.id, id, actorOf(context));
    revalidateCase(id);
    return { message: "Case resumed.", data: { id } };
  }),
  "resumed",
);

export const retryNowAction = operatorAction("admin", caseInput, async ({ id }, context) => {
  await retryNow(await getDb(), context.workspace.id, id, actorOf(context));
  revalidateCase(id);
  return { message: "Retry queued: the engine charges the card on its next pass, within seconds." };
});

export const skipStepAction = confirmOnPage(
  operatorAction("admin", caseInput.extend({ stepId: required("the form lost its step id; reload the page") }), async ({ id, stepId }, context) => {
    await skipStep(await getDb(), context.workspace.id, stepId, actorOf(context));
    revalidateCase(id);
    return { message: "Step skipped.", data: { id } };
  }),
  "skipped",
);

const extendForm = caseInput.extend({
  days: z.coerce.number({ error: "enter a number of days" }).int("enter whole days").min(1, "extend by 1 to 60 days").max(60, "extend by 1 to 60 days"),
});

export const extendCaseAction = operatorAction("admin", extendForm, async ({ id, days }, context) => {
  await extendCase(await getDb(), context.workspace.id, id, days, actorOf(context));
  revalidateCase(id);
  return { message: `Window extended by ${days} ${days === 1 ? "day" : "days"}; the plan was redrawn.` };
});

export const replanCaseAction = operatorAction("admin", caseInput, async ({ id }, context) => {
  await replanWithCurrentPolicy(await getDb(), context.workspace.id, id, actorOf(context));
  revalidateCase(id);
  return { message: "Re-planned on the policy's current version; the planned steps below are the new plan." };
});

export const writeOffAction = confirmOnPage(
  operatorAction("admin", caseInput.extend({ note: optional }), async ({ id, note }, context) => {
    await settleCase(await getDb(), context.workspace.id, id, "write_off", actorOf(context), note ?? "");
    revalidateCase(id);
    return { message: "Written off.", data: { id } };
  }),
  "written_off",
);

const outOfBandForm = caseInput.extend({ note: required("say how it was paid, e.g. “bank transfer, ref 4471”").max(300, "keep the note under 300 characters") });

export const paidOutOfBandAction = confirmOnPage(
  operatorAction("admin", outOfBandForm, async ({ id, note }, context) => {
    await settleCase(await getDb(), context.workspace.id, id, "paid_out_of_band", actorOf(context), note);
    revalidateCase(id);
    return { message: "Marked as recovered.", data: { id } };
  }),
  "recovered",
);

// ——— Policies ———

/** Routes under /admin/policies that a key must not shadow. */
const reservedKeys = new Set(["new", "decline-codes"]);

const policyForm = z.object({
  key: required("enter a key, e.g. high-value").toLowerCase(),
  definition: required("paste the policy JSON").max(100_000, "the policy is too long (100,000 characters at most)"),
  makeDefault: z.preprocess((v) => v === "on" || v === "true", z.boolean()),
  creating: z.preprocess((v) => v === "1", z.boolean()),
});

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: `is not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The editor lists each problem by path itself (the same validatePolicy runs in the browser). */
const POLICY_INVALID = "The policy has problems; fix those listed and save again.";

const savePolicyRun = operatorAction("admin", policyForm, async ({ key, definition, makeDefault, creating }, context) => {
  const json = parseJson(definition);
  if (!json.ok || !validatePolicy(json.value).ok) throw new AppError("invalid_input", POLICY_INVALID);
  if (reservedKeys.has(key)) throw new AppError("invalid_input", `Key: “${key}” is taken by an admin page; choose another.`);
  const db = await getDb();
  if (creating && (await listPolicies(db, context.workspace.id)).some((p) => p.key === key)) {
    throw new AppError("conflict", `Key: a policy “${key}” exists already; open it to save a new version, or choose another key.`);
  }
  const saved = await savePolicy(db, context.workspace.id, key, json.value, actorOf(context), { makeDefault });
  revalidatePath("/admin/policies");
  return { message: `Saved ${saved.key} as version ${saved.version}.`, data: { key: saved.key, version: saved.version } };
});

/** A failed save hands back what was typed, so the editor keeps it even without JavaScript. */
export type PolicySaveState = ActionResult<unknown> & { errors?: ValidationError[]; definition?: string; key?: string };

/** On success the editor reloads on the new version; on failure each problem keeps its path. */
export async function savePolicyAction(_previous: PolicySaveState | null, formData: FormData): Promise<PolicySaveState> {
  const result = await savePolicyRun(null, formData);
  if (result.ok && result.data) redirect(`/admin/policies/${encodeURIComponent(result.data.key)}?saved=${result.data.version}`);
  if (result.ok) return result;
  const text = String(formData.get("definition") ?? "");
  let errors: ValidationError[] = [];
  if (result.error === POLICY_INVALID) {
    const json = parseJson(text);
    const checked = json.ok ? validatePolicy(json.value) : null;
    errors = !json.ok ? [{ path: "", message: `The policy ${json.message}` }] : checked && !checked.ok ? checked.errors : [];
  }
  return { ...result, errors, definition: text, key: String(formData.get("key") ?? "") };
}

// ——— Segments ———

const segmentForm = z
  .object({
    segmentId: optional,
    intent: required("the form lost its button; reload the page"),
    name: optional,
    policyKey: optional,
    position: z.coerce.number().int().min(0).optional(),
  })
  .catchall(z.unknown());

const segmentRun = operatorAction("admin", segmentForm, async (form, context) => {
  const outcome = await applySegmentIntent(await getDb(), context.workspace.id, form, actorOf(context));
  revalidatePath("/admin/segments");
  return { message: outcome.message, data: outcome };
});

/** Every change re-orders or re-numbers the list, so the confirmation is shown at the top of the page. */
export async function segmentAction(_previous: ActionResult<unknown> | null, formData: FormData): Promise<ActionResult<unknown>> {
  const result = await segmentRun(null, formData);
  if (result.ok && result.data) redirect(`/admin/segments?done=${encodeURIComponent(result.data.done)}&name=${encodeURIComponent(result.data.name)}#segment-${result.data.position}`);
  return result;
}

/** Live count while a rule's conditions are edited (reads only, so viewers may ask too). */
export const countSegmentAction = operatorAction("viewer", segmentForm, async (form, context) => {
  const reach = await draftReach(await getDb(), context.workspace.id, form);
  return { message: reach.message, data: reach };
});

// ——— Test clock ———

const clockForm = z.object({
  days: z.coerce.number({ error: "enter a number of days" }).int("enter whole days").min(1, "advance by 1 to 366 days").max(366, "advance by 1 to 366 days"),
});

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

export const advanceClockAction = operatorAction("admin", clockForm, async ({ days }, context) => {
  const db = await getDb();
  const { now } = await advanceClock(db, context.workspace.id, days, actorOf(context));
  // One engine pass so the jump shows: due steps run (charges, messages, final actions), the
  // sandbox sends the webhooks those charges caused, and the inbox processes them.
  const steps = await runDueSteps(db, {});
  const delivered = await deliverAllSandboxEvents(db);
  const inbox = await processPendingInbox(db);
  for (const path of ["/admin/clock", "/admin/cases", "/admin"]) revalidatePath(path);
  const ran = Object.values(steps).reduce((sum, n) => sum + n, 0);
  const stepDetail = Object.entries(steps).map(([status, n]) => `${n} ${status}`).join(", ");
  const inboxDetail = Object.entries(inbox).filter(([, n]) => n > 0).map(([status, n]) => `${n} ${status === "retry" ? "to retry later" : status}`).join(", ");
  return {
    message:
      `Moved ${plural(days, "day")} forward: it is now ${formatDateTime(now, context.workspace.timezone)} in this workspace. ` +
      `The engine ran ${plural(ran, "due step")}${ran ? ` (${stepDetail})` : ""}; the sandbox delivered ${plural(delivered, "webhook")}` +
      `${inboxDetail ? `; inbox: ${inboxDetail}` : ""}. Steps those events planned run on the next pass.`,
  };
});
