import { z } from "zod";
import { messageTemplates, type FinalAction, type MessageTemplate } from "./types";

/**
 * The retry policy: one JSON document the admin editor saves and `dunwell policy apply
 * --file policy.json` reads. docs/policy-format.md describes every field.
 *
 * Validation errors are written for the operator who has to fix the file: each one has a
 * path ("messages[2].offsetHours") and a message that says what is allowed.
 */

export const finalActions = [
  "cancel_now",
  "cancel_at_period_end",
  "pause",
  "mark_uncollectible",
  "leave_past_due",
  "collections_task",
] as const satisfies readonly FinalAction[];
// Fails to compile when lib/dunning/types.ts gains a FinalAction that the list above lacks.
type UnlistedFinalAction = Exclude<FinalAction, (typeof finalActions)[number]>;
const everyFinalActionListed: [UnlistedFinalAction] extends [never] ? true : UnlistedFinalAction = true;
void everyFinalActionListed;

/** Templates a policy may schedule; the rest are sent when their event happens. */
export const scheduledTemplates = ["payment_failed", "reminder", "final_notice", "action_required", "card_expiring"] as const satisfies readonly MessageTemplate[];

const typeError = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : `must be ${what}`);
const oneOf = (values: readonly string[]) => ({ error: `must be one of: ${values.join(", ")}` });

function wholeNumber(min: number, max?: number) {
  const range = max === undefined ? `must be ${min} or more` : `must be between ${min} and ${max}`;
  const base = z.number({ error: typeError("a number") }).int({ error: "must be a whole number" }).min(min, { error: range });
  return max === undefined ? base : base.max(max, { error: range });
}

const flag = z.boolean({ error: typeError("true or false") });

const hourOfDay = wholeNumber(0, 24);

const timingSchema = z.strictObject({
  mode: z.enum(["smart", "fixed"], oneOf(["smart", "fixed"])),
  /** Fixed mode: retry N happens this many hours after the case opened. */
  fixedOffsetsHours: z.array(wholeNumber(0), { error: typeError("a list of hours, e.g. [24, 72, 120]") }).optional(),
  /** Retries only start between these local hours: [9, 17] means 09:00 up to 17:00. */
  preferredHours: z.tuple([hourOfDay, hourOfDay], { error: "must be [start, end] in local hours, e.g. [8, 20]" }).optional(),
});

const messageSchema = z.strictObject({
  offsetHours: wholeNumber(0),
  template: z.enum(messageTemplates, oneOf(scheduledTemplates)),
  channel: z.enum(["email", "sms"], oneOf(["email", "sms"])),
  tone: z.enum(["friendly", "neutral", "firm", "final"], oneOf(["friendly", "neutral", "firm", "final"])),
});

const baseSchema = z.strictObject({
  name: z
    .string({ error: typeError("text") })
    .trim()
    .min(1, { error: "give the policy a name" })
    .max(80, { error: "must be at most 80 characters" }),
  timing: timingSchema,
  maxAttempts: wholeNumber(1, 15),
  windowDays: wholeNumber(1, 60),
  messages: z.array(messageSchema, { error: typeError("a list of messages") }).max(20, { error: "must have at most 20 messages" }),
  finalAction: z.strictObject({
    action: z.enum(finalActions, oneOf(finalActions)),
    /** Hours after the case opened; absent means at the end of the window. */
    offsetHours: wholeNumber(0).optional(),
  }),
  installments: z.strictObject({
    allowed: flag,
    maxParts: wholeNumber(2, 12),
    minPartMinor: wholeNumber(0),
    maxSpanDays: wholeNumber(1, 365),
  }),
  promiseToPay: z.strictObject({ allowed: flag, maxDays: wholeNumber(1, 60) }),
  backupPaymentMethods: z.strictObject({ allowed: flag, maxPerCase: wholeNumber(0, 5) }),
});

type Issue = { path: (string | number)[]; message: string };

/** Rules that relate fields to each other. Defensive: it also runs on partly invalid input. */
function crossFieldIssues(policy: z.output<typeof baseSchema>): Issue[] {
  const issues: Issue[] = [];
  const windowDays = policy.windowDays;
  const windowHours = Number.isInteger(windowDays) && windowDays >= 1 && windowDays <= 60 ? windowDays * 24 : null;
  const inWindow = `must be within the window (0–${windowHours ?? "?"} hours)`;
  const finalOffset = policy.finalAction?.offsetHours;
  const finalAt = typeof finalOffset === "number" ? finalOffset : windowHours;

  const timing = policy.timing;
  const offsets = Array.isArray(timing?.fixedOffsetsHours) ? timing.fixedOffsetsHours : undefined;
  if (timing?.mode === "fixed" && (offsets === undefined || offsets.length === 0)) {
    issues.push({ path: ["timing", "fixedOffsetsHours"], message: 'is required when timing.mode is "fixed": list the retry times in hours after the case opens, e.g. [24, 72, 120]' });
  }
  if (timing?.mode === "smart" && offsets !== undefined) {
    issues.push({ path: ["timing", "fixedOffsetsHours"], message: 'is only used when timing.mode is "fixed": remove it or switch the mode' });
  }
  if (timing?.mode === "fixed" && offsets) {
    if (Number.isInteger(policy.maxAttempts) && offsets.length > policy.maxAttempts) {
      issues.push({ path: ["timing", "fixedOffsetsHours"], message: `lists ${offsets.length} retries but maxAttempts is ${policy.maxAttempts}: remove offsets or raise maxAttempts` });
    }
    offsets.forEach((offset, i) => {
      const previous = offsets[i - 1];
      if (typeof offset !== "number") return;
      if (windowHours !== null && offset > windowHours) issues.push({ path: ["timing", "fixedOffsetsHours", i], message: inWindow });
      else if (typeof previous === "number" && offset <= previous) {
        issues.push({ path: ["timing", "fixedOffsetsHours", i], message: `must be after the previous offset (${previous}): offsets must be ascending` });
      } else if (typeof finalOffset === "number" && offset >= finalOffset) {
        issues.push({ path: ["timing", "fixedOffsetsHours", i], message: `must be before the final action (${finalOffset} hours)` });
      }
    });
  }
  const preferred = timing?.preferredHours;
  if (Array.isArray(preferred) && typeof preferred[0] === "number" && typeof preferred[1] === "number" && preferred[0] >= preferred[1]) {
    issues.push({ path: ["timing", "preferredHours"], message: "start must be before end, e.g. [8, 20] (09:00 to 17:00 is [9, 17])" });
  }

  const messages = Array.isArray(policy.messages) ? policy.messages : [];
  const seen = new Map<string, number>();
  messages.forEach((message, i) => {
    if (!message || typeof message.offsetHours !== "number") return;
    if (windowHours !== null && message.offsetHours > windowHours) {
      issues.push({ path: ["messages", i, "offsetHours"], message: inWindow });
    } else if (typeof finalAt === "number" && message.offsetHours > finalAt) {
      issues.push({ path: ["messages", i, "offsetHours"], message: `comes after the final action (${finalAt} hours): move it earlier or the final action later` });
    }
    const template: string = message.template;
    if ((messageTemplates as readonly string[]).includes(template) && !(scheduledTemplates as readonly string[]).includes(template)) {
      issues.push({ path: ["messages", i, "template"], message: `"${message.template}" is sent when its event happens, not on a schedule; use one of: ${scheduledTemplates.join(", ")}` });
    }
    const identity = `${message.offsetHours}|${message.template}|${message.channel}`;
    const first = seen.get(identity);
    if (first !== undefined) issues.push({ path: ["messages", i], message: `repeats messages[${first}] (same offsetHours, template and channel): remove one` });
    else seen.set(identity, i);
  });

  if (windowHours !== null && typeof finalOffset === "number" && finalOffset > windowHours) {
    issues.push({ path: ["finalAction", "offsetHours"], message: `${inWindow}; leave it out to act at the end of the window` });
  }
  const backups = policy.backupPaymentMethods;
  if (backups?.allowed === true && backups.maxPerCase === 0) {
    issues.push({ path: ["backupPaymentMethods", "maxPerCase"], message: "must be at least 1 when backups are allowed (or set allowed to false)" });
  }
  return issues;
}

export const policySchema = baseSchema.superRefine((policy, ctx) => {
  for (const issue of crossFieldIssues(policy)) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
});

export type Policy = z.output<typeof policySchema>;
export type PolicyMessage = Policy["messages"][number];

export type ValidationError = { path: string; message: string };

/** "messages[2].offsetHours" from ["messages", 2, "offsetHours"]. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => (typeof part === "number" ? `${out}[${part}]` : out ? `${out}.${String(part)}` : String(part)), "");
}

/** Zod issues as {path, message}; an unknown field becomes one error per field. */
export function toValidationErrors(issues: readonly z.core.$ZodIssue[]): ValidationError[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: "is not a known field: check the spelling or remove it" }));
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

/** One line per error, for the CLI: "maxAttempts: must be between 1 and 15". */
export function describeValidationErrors(errors: readonly ValidationError[]): string[] {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
}

const expectedNames: Record<string, string> = { object: "an object ({ ... })", array: "a list ([ ... ])", number: "a number", string: "text", boolean: "true or false" };

/** Words for type errors the schema does not phrase itself (the document itself, nested objects). */
const fallbackMessage = (issue: z.core.$ZodRawIssue): string | undefined => {
  if (issue.code !== "invalid_type") return undefined;
  return issue.input === undefined ? "is required" : `must be ${expectedNames[issue.expected] ?? issue.expected}`;
};

export function validatePolicy(input: unknown): { ok: true; policy: Policy } | { ok: false; errors: ValidationError[] } {
  const parsed = policySchema.safeParse(input, { error: fallbackMessage });
  if (parsed.success) return { ok: true, policy: parsed.data };
  const errors = toValidationErrors(parsed.error.issues);
  // Zod skips the cross-field rules after some field errors; report them in the same pass anyway.
  if (typeof input === "object" && input !== null) {
    for (const issue of crossFieldIssues(input as z.output<typeof baseSchema>)) {
      const error = { path: formatPath(issue.path), message: issue.message };
      if (!errors.some((e) => e.path === error.path && e.message === error.message)) errors.push(error);
    }
  }
  return { ok: false, errors };
}

/** Smart timing, 6 retries over 21 days, four emails, cancel at period end when the window closes. */
export const defaultPolicy: Policy = {
  name: "Default",
  timing: { mode: "smart" },
  maxAttempts: 6,
  windowDays: 21,
  messages: [
    { offsetHours: 0, template: "payment_failed", channel: "email", tone: "friendly" },
    { offsetHours: 72, template: "reminder", channel: "email", tone: "neutral" },
    { offsetHours: 168, template: "reminder", channel: "email", tone: "firm" },
    { offsetHours: 312, template: "final_notice", channel: "email", tone: "final" },
  ],
  finalAction: { action: "cancel_at_period_end" },
  installments: { allowed: true, maxParts: 3, minPartMinor: 1000, maxSpanDays: 60 },
  promiseToPay: { allowed: true, maxDays: 14 },
  backupPaymentMethods: { allowed: true, maxPerCase: 1 },
};
