import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultPolicy, describeValidationErrors, policySchema, validatePolicy, type Policy } from "@/lib/dunning/policy";

const errorsOf = (input: unknown) => {
  const result = validatePolicy(input);
  if (result.ok) throw new Error("expected the policy to be refused");
  return describeValidationErrors(result.errors);
};

const withChanges = (changes: Record<string, unknown>) => ({ ...structuredClone(defaultPolicy), ...changes });

describe("policy format", () => {
  it("accepts the default policy, which is smart, 6 retries over 21 days with four emails and a cancel at period end", () => {
    const result = validatePolicy(defaultPolicy);
    expect(result).toEqual({ ok: true, policy: defaultPolicy });
    expect(defaultPolicy).toMatchObject({ timing: { mode: "smart" }, maxAttempts: 6, windowDays: 21, finalAction: { action: "cancel_at_period_end" } });
    expect(defaultPolicy.finalAction.offsetHours).toBeUndefined();
    expect(defaultPolicy.messages.map((m) => [m.offsetHours, m.template, m.tone])).toEqual([
      [0, "payment_failed", "friendly"],
      [72, "reminder", "neutral"],
      [168, "reminder", "firm"],
      [312, "final_notice", "final"],
    ]);
    expect(defaultPolicy.installments.maxParts).toBe(3);
    expect(defaultPolicy.promiseToPay.maxDays).toBe(14);
    expect(defaultPolicy.backupPaymentMethods).toEqual({ allowed: true, maxPerCase: 1 });
  });

  it("accepts every JSON example in docs/policy-format.md that looks like a policy", () => {
    const doc = readFileSync(path.join(import.meta.dirname, "../../../docs/policy-format.md"), "utf8");
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as unknown);
    const policies = blocks.filter((b) => typeof b === "object" && b !== null && !Array.isArray(b));
    expect(policies.length).toBeGreaterThanOrEqual(2);
    for (const policy of policies) {
      const result = validatePolicy(policy);
      expect(result.ok ? [] : describeValidationErrors(result.errors)).toEqual([]);
    }
    expect(policies[0]).toEqual(JSON.parse(JSON.stringify(defaultPolicy)));
  });

  it("says which field is wrong and what is allowed", () => {
    const messages = [...defaultPolicy.messages.slice(0, 2), { offsetHours: 400, template: "reminder", channel: "email", tone: "firm" }];
    expect(errorsOf(withChanges({ maxAttempts: 20, windowDays: 14, messages }))).toEqual([
      "maxAttempts: must be between 1 and 15",
      "messages[2].offsetHours: must be within the window (0–336 hours)",
    ]);
    expect(errorsOf(withChanges({ maxAttempts: 0 }))).toEqual(["maxAttempts: must be between 1 and 15"]);
    expect(errorsOf(withChanges({ windowDays: 61 }))).toEqual(["windowDays: must be between 1 and 60"]);
    expect(errorsOf(withChanges({ maxAttempts: 2.5 }))).toEqual(["maxAttempts: must be a whole number"]);
    expect(errorsOf(withChanges({ maxAttempts: "6" }))).toEqual(["maxAttempts: must be a number"]);
  });

  it("checks fixed offsets: required in fixed mode, ascending, inside the window, no more than maxAttempts", () => {
    expect(errorsOf(withChanges({ timing: { mode: "fixed" } }))).toEqual([
      'timing.fixedOffsetsHours: is required when timing.mode is "fixed": list the retry times in hours after the case opens, e.g. [24, 72, 120]',
    ]);
    expect(errorsOf(withChanges({ timing: { mode: "fixed", fixedOffsetsHours: [24, 12, 900] } }))).toEqual([
      "timing.fixedOffsetsHours[1]: must be after the previous offset (24): offsets must be ascending",
      "timing.fixedOffsetsHours[2]: must be within the window (0–504 hours)",
    ]);
    expect(errorsOf(withChanges({ maxAttempts: 2, timing: { mode: "fixed", fixedOffsetsHours: [24, 48, 72] } }))).toEqual([
      "timing.fixedOffsetsHours: lists 3 retries but maxAttempts is 2: remove offsets or raise maxAttempts",
    ]);
    expect(errorsOf(withChanges({ timing: { mode: "smart", fixedOffsetsHours: [24] } }))).toEqual([
      'timing.fixedOffsetsHours: is only used when timing.mode is "fixed": remove it or switch the mode',
    ]);
    expect(validatePolicy(withChanges({ timing: { mode: "fixed", fixedOffsetsHours: [24, 72, 504] } })).ok).toBe(true);
  });

  it("names unknown fields, bad choices and missing fields", () => {
    expect(errorsOf(withChanges({ maxAttemps: 3 }))).toEqual(["maxAttemps: is not a known field: check the spelling or remove it"]);
    expect(errorsOf(withChanges({ messages: [{ offsetHours: 0, template: "hello", channel: "fax", tone: "loud" }] }))).toEqual([
      "messages[0].template: must be one of: payment_failed, reminder, final_notice, action_required, card_expiring",
      "messages[0].channel: must be one of: email, sms",
      "messages[0].tone: must be one of: friendly, neutral, firm, final",
    ]);
    const { name: _name, ...nameless } = defaultPolicy;
    expect(errorsOf(nameless)).toEqual(["name: is required"]);
    expect(errorsOf(withChanges({ finalAction: { action: "explode" } }))).toEqual([
      "finalAction.action: must be one of: cancel_now, cancel_at_period_end, pause, mark_uncollectible, leave_past_due, collections_task",
    ]);
  });

  it("reports the cross-field rules in the same pass as field errors", () => {
    const errors = errorsOf(
      withChanges({ timing: { mode: "smart", preferredHours: [20, 8] }, finalAction: { action: "explode", offsetHours: 600 }, backupPaymentMethods: { allowed: true, maxPerCase: 0 } }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        "timing.preferredHours: start must be before end, e.g. [8, 20] (09:00 to 17:00 is [9, 17])",
        "finalAction.offsetHours: must be within the window (0–504 hours); leave it out to act at the end of the window",
        "backupPaymentMethods.maxPerCase: must be at least 1 when backups are allowed (or set allowed to false)",
      ]),
    );
  });

  it("refuses event-only templates, duplicates and messages after the final action", () => {
    const recovered = { offsetHours: 10, template: "payment_recovered", channel: "email", tone: "friendly" };
    expect(errorsOf(withChanges({ messages: [recovered] }))).toEqual([
      'messages[0].template: "payment_recovered" is sent when its event happens, not on a schedule; use one of: payment_failed, reminder, final_notice, action_required, card_expiring',
    ]);
    const first = defaultPolicy.messages[0]!;
    expect(errorsOf(withChanges({ messages: [first, first] }))).toEqual(["messages[1]: repeats messages[0] (same offsetHours, template and channel): remove one"]);
    expect(errorsOf(withChanges({ finalAction: { action: "pause", offsetHours: 200 } }))).toEqual([
      "messages[3].offsetHours: comes after the final action (200 hours): move it earlier or the final action later",
    ]);
  });

  it("is the same check through the schema the admin editor uses", () => {
    const bad = withChanges({ maxAttempts: 16 });
    const parsed = policySchema.safeParse(bad);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ["maxAttempts"], message: "must be between 1 and 15" });
    const good: Policy = policySchema.parse(withChanges({ name: "  Gentle  " }));
    expect(good.name).toBe("Gentle");
  });

  it("explains a document that is not an object at all", () => {
    expect(errorsOf(null)).toEqual(["must be an object ({ ... })"]);
    expect(errorsOf([])).toEqual(["must be an object ({ ... })"]);
  });
});
