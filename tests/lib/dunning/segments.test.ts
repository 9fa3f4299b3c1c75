import { describe, expect, it } from "vitest";
import { describeValidationErrors } from "@/lib/dunning/policy";
import { chooseSegment, segmentRuleSchema, validateSegmentRules, type SegmentAttributes, type SegmentRule } from "@/lib/dunning/segments";

const rules: SegmentRule[] = [
  { name: "Whales", policyKey: "gentle", conditions: [{ field: "mrr_minor", op: "gte", value: 50_000 }] },
  {
    name: "New in the EU",
    policyKey: "strict",
    conditions: [
      { field: "tenure_days", op: "lt", value: 60 },
      { field: "country", op: "in", value: ["DE", "FR", "NL"] },
    ],
  },
  { name: "Repeat failures", policyKey: "strict", conditions: [{ field: "past_failures", op: "gt", value: 2 }] },
  { name: "Everyone on Pro", policyKey: "pro", conditions: [{ field: "plan", op: "eq", value: "Pro" }] },
];

const customer = (attributes: SegmentAttributes): SegmentAttributes => ({
  mrr_minor: 2_900,
  tenure_days: 400,
  lifetime_value_minor: 30_000,
  past_failures: 0,
  plan: "Starter",
  country: "US",
  currency: "usd",
  decline_category: "soft",
  ...attributes,
});

describe("segments", () => {
  it("picks the first rule that matches, in order, even when a later one matches too", () => {
    expect(chooseSegment(rules, customer({ mrr_minor: 80_000, tenure_days: 10, country: "DE" }), "default")).toEqual({ policyKey: "gentle", segment: "Whales" });
    expect(chooseSegment(rules, customer({ tenure_days: 10, country: "DE", plan: "Pro" }), "default")).toEqual({ policyKey: "strict", segment: "New in the EU" });
    expect(chooseSegment([...rules].reverse(), customer({ mrr_minor: 80_000, plan: "Pro" }), "default")).toEqual({ policyKey: "pro", segment: "Everyone on Pro" });
  });

  it("needs every condition of a rule to hold", () => {
    expect(chooseSegment(rules, customer({ tenure_days: 10, country: "US" }), "default").segment).toBeNull();
    expect(chooseSegment(rules, customer({ tenure_days: 90, country: "FR" }), "default").segment).toBeNull();
  });

  it("falls back to the default policy with no segment, and a rule without conditions matches everyone", () => {
    expect(chooseSegment(rules, customer({}), "default")).toEqual({ policyKey: "default", segment: null });
    expect(chooseSegment([], customer({}), "default")).toEqual({ policyKey: "default", segment: null });
    const catchAll: SegmentRule = { name: "All", policyKey: "all", conditions: [] };
    expect(chooseSegment([...rules, catchAll], customer({}), "default")).toEqual({ policyKey: "all", segment: "All" });
  });

  it("compares numbers at the edges of each operator", () => {
    const at = (op: SegmentRule["conditions"][number]["op"], value: number, mrr: number) =>
      chooseSegment([{ name: "r", policyKey: "p", conditions: [{ field: "mrr_minor", op, value }] }], customer({ mrr_minor: mrr }), "d").segment;
    expect([at("gt", 100, 100), at("gt", 100, 101)]).toEqual([null, "r"]);
    expect([at("gte", 100, 99), at("gte", 100, 100)]).toEqual([null, "r"]);
    expect([at("lt", 100, 100), at("lt", 100, 99)]).toEqual([null, "r"]);
    expect([at("lte", 100, 101), at("lte", 100, 100)]).toEqual([null, "r"]);
    expect([at("eq", 100, 101), at("eq", 100, 100)]).toEqual([null, "r"]);
    expect([at("neq", 100, 100), at("neq", 100, 101)]).toEqual([null, "r"]);
  });

  it("compares text without regard to case and handles in / not_in", () => {
    const byCurrency: SegmentRule = { name: "Euro", policyKey: "eur", conditions: [{ field: "currency", op: "in", value: ["EUR", "CHF"] }] };
    expect(chooseSegment([byCurrency], customer({ currency: "eur" }), "d").segment).toBe("Euro");
    const notUs: SegmentRule = { name: "Abroad", policyKey: "intl", conditions: [{ field: "country", op: "not_in", value: ["us", "ca"] }] };
    expect(chooseSegment([notUs], customer({ country: "US" }), "d").segment).toBeNull();
    expect(chooseSegment([notUs], customer({ country: "JP" }), "d").segment).toBe("Abroad");
    const insufficient: SegmentRule = { name: "Broke", policyKey: "payday", conditions: [{ field: "decline_category", op: "eq", value: "insufficient_funds" }] };
    expect(chooseSegment([insufficient], customer({ decline_category: "insufficient_funds" }), "d").segment).toBe("Broke");
  });

  it("never matches a condition on an attribute the customer does not have", () => {
    const notUs: SegmentRule = { name: "Abroad", policyKey: "intl", conditions: [{ field: "country", op: "not_in", value: ["US"] }] };
    expect(chooseSegment([notUs], customer({ country: null }), "d").segment).toBeNull();
    expect(chooseSegment([notUs], customer({ country: "" }), "d").segment).toBeNull();
    const neqPlan: SegmentRule = { name: "Not free", policyKey: "p", conditions: [{ field: "plan", op: "neq", value: "Free" }] };
    expect(chooseSegment([neqPlan], customer({ plan: undefined }), "d").segment).toBeNull();
  });

  it("explains invalid rules", () => {
    const result = validateSegmentRules([
      { name: "A", policyKey: "p", conditions: [{ field: "plan", op: "gt", value: "Pro" }] },
      { name: "B", policyKey: "p", conditions: [{ field: "country", op: "in", value: "US" }] },
      { name: "C", policyKey: "p", conditions: [{ field: "mrr_minor", op: "gte", value: "5000" }] },
      { name: "D", policyKey: "p", conditions: [{ field: "decline_category", op: "eq", value: "broke" }] },
      { name: "a", policyKey: "", conditions: [{ field: "shoe_size", op: "eq", value: 42 }] },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(describeValidationErrors(result.errors)).toEqual([
      '[0].conditions[0].op: "gt" compares numbers but plan is text: use eq, neq, in or not_in',
      '[1].conditions[0].value: "in" needs a list, e.g. ["US", "CA"]',
      "[2].conditions[0].value: mrr_minor is a number: write it without quotes (in minor units, e.g. 4900 for 49.00)",
      '[3].conditions[0].value: "broke" is not a decline category; use one of: hard, card_update_needed, insufficient_funds, soft, authentication_required, processing_error',
      "[4].policyKey: name the policy this segment uses",
      "[4].conditions[0].field: must be one of: mrr_minor, tenure_days, lifetime_value_minor, past_failures, plan, country, currency, decline_category",
    ]);
  });

  it("refuses two segments with the same name", () => {
    const result = validateSegmentRules([rules[0], { ...rules[1], name: "whales" }]);
    expect(result.ok ? [] : describeValidationErrors(result.errors)).toEqual(["[1].name: repeats the name of segment 1: names must be unique"]);
    expect(segmentRuleSchema.safeParse(rules[1]).success).toBe(true);
  });
});
