import { describe, expect, it } from "vitest";
import { bucketOf, planCase, statsFromRows, type LearnedStats, type NetworkGuard } from "@/lib/dunning/planner";
import { defaultPolicy, type Policy } from "@/lib/dunning/policy";
import { hourlySlots } from "@/lib/dunning/slots";
import { DAY, HOUR, plannerInput, retriesOf, wall } from "@/tests/helpers/planner";

const paydayBuckets = ["month_start", "mid_month", "month_end"];

describe("smart timing", () => {
  it("retries insufficient funds on a payday morning in the customer's own time zone", () => {
    const firstRetry = (timezone: string) => retriesOf(planCase(plannerInput({ customer: { timezone, defaultTimezone: "UTC" } })))[0]!;
    const la = firstRetry("America/Los_Angeles");
    const tokyo = firstRetry("Asia/Tokyo");
    for (const [retry, zone] of [[la, "America/Los_Angeles"], [tokyo, "Asia/Tokyo"]] as const) {
      expect(paydayBuckets).toContain(bucketOf(retry.dueAt, zone));
      expect(wall(retry.dueAt, zone).hour).toBeGreaterThanOrEqual(7);
      expect(wall(retry.dueAt, zone).hour).toBeLessThanOrEqual(10);
      expect(retry.reason).toContain("payday");
    }
    // The same local morning is 16 hours apart in UTC (PDT is UTC−7, JST UTC+9).
    expect(wall(la.dueAt, "America/Los_Angeles")).toMatchObject({ day: wall(tokyo.dueAt, "Asia/Tokyo").day, hour: wall(tokyo.dueAt, "Asia/Tokyo").hour });
    expect(la.dueAt.getTime() - tokyo.dueAt.getTime()).toBe(16 * HOUR);
  });

  it("knows the payday buckets, including a last business day before the 28th and the local date", () => {
    expect(bucketOf(new Date("2026-02-27T12:00:00Z"), "UTC")).toBe("month_end"); // Friday; the 28th is a Saturday
    expect(bucketOf(new Date("2026-02-26T12:00:00Z"), "UTC")).toBe("other");
    expect(bucketOf(new Date("2026-03-15T12:00:00Z"), "UTC")).toBe("mid_month");
    expect(bucketOf(new Date("2026-03-31T23:30:00Z"), "Asia/Tokyo")).toBe("month_start"); // already 1 April in Tokyo
    expect(bucketOf(new Date("2026-03-31T23:30:00Z"), "America/Los_Angeles")).toBe("month_end");
  });

  it.each([
    ["spring", "2026-03-13T09:00:00Z", "2026-03-27T09:00:00Z", "2026-03-29T01:00:00Z"],
    ["autumn", "2026-10-09T08:00:00Z", "2026-10-23T08:00:00Z", "2026-10-25T01:00:00Z"],
  ])("keeps the local hour across the %s DST change in Europe/Berlin", (_season, openedBefore, openedAfter, change) => {
    const plan = (opened: string) => retriesOf(planCase(plannerInput({ caseOpenedAt: new Date(opened), now: new Date(opened), customer: { timezone: "Europe/Berlin", defaultTimezone: "UTC" } })));
    const retries = [...plan(openedBefore), ...plan(openedAfter)];
    const before = retries.filter((r) => r.dueAt < new Date(change));
    const after = retries.filter((r) => r.dueAt > new Date(change));
    expect(before.length).toBeGreaterThan(0);
    expect(after.length).toBeGreaterThan(0);
    expect(new Set(retries.map((r) => wall(r.dueAt, "Europe/Berlin").hour))).toEqual(new Set([8]));
    // 08:00 is 07:00 UTC in winter time and 06:00 UTC in summer time.
    expect(new Set(before.map((r) => r.dueAt.getUTCHours()))).not.toEqual(new Set(after.map((r) => r.dueAt.getUTCHours())));
  });

  it("steps through the wall clock on the night of a change (02:00 does not exist in spring)", () => {
    const slots = hourlySlots(new Date("2026-03-29T00:00:00Z"), new Date("2026-03-29T03:00:00Z"), "Europe/Berlin");
    expect(slots.map((s) => s.local.hour)).toEqual([1, 3, 4, 5]);
    const autumn = hourlySlots(new Date("2026-10-25T00:00:00Z"), new Date("2026-10-25T02:00:00Z"), "Europe/Berlin");
    expect(autumn.map((s) => s.local.hour)).toEqual([2, 2, 3]);
  });

  it("moves the choice to the hour the workspace's own outcomes favour", () => {
    const baseline = retriesOf(planCase(plannerInput()))[0]!;
    expect(wall(baseline.dueAt, "America/Los_Angeles").hour).toBe(8);
    const stats: LearnedStats = {
      get: (category, _bucket, _weekday, hour) =>
        category !== "insufficient_funds" ? { attempts: 0, successes: 0 } : hour === 13 ? { attempts: 200, successes: 150 } : hour === 8 ? { attempts: 200, successes: 4 } : { attempts: 0, successes: 0 },
    };
    const learned = retriesOf(planCase(plannerInput({ stats })))[0]!;
    expect(wall(learned.dueAt, "America/Los_Angeles").hour).toBe(13);
    expect(learned.reason).toContain("learned from 200 retries");
  });

  it("reads stats rows per slot, and a few observations do not outweigh the prior", () => {
    const rows = [{ category: "insufficient_funds" as const, bucket: "mid_month" as const, weekday: 1, hour: 13, attempts: 2, successes: 2 }];
    const first = retriesOf(planCase(plannerInput({ stats: statsFromRows(rows) })))[0]!;
    expect(wall(first.dueAt, "America/Los_Angeles").hour).toBe(8);
    expect(statsFromRows([...rows, ...rows]).get("insufficient_funds", "mid_month", 1, 13)).toEqual({ attempts: 4, successes: 4 });
  });

  it("keeps smart retries inside the policy's preferred hours", () => {
    const policy: Policy = { ...defaultPolicy, timing: { mode: "smart", preferredHours: [13, 15] } };
    const retries = retriesOf(planCase(plannerInput({ policy })));
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) expect([13, 14]).toContain(wall(retry.dueAt, "America/Los_Angeles").hour);
  });

  it("retries a soft decline soon, mid-day, at another hour than the failure", () => {
    const opened = new Date("2026-03-04T22:00:00Z"); // 14:00 in Los Angeles
    const [first] = retriesOf(planCase(plannerInput({ caseOpenedAt: opened, now: opened, lastCategory: "soft" })));
    expect(first!.dueAt.getTime() - opened.getTime()).toBeLessThanOrEqual(2 * DAY);
    const hour = wall(first!.dueAt, "America/Los_Angeles").hour;
    expect(hour).toBeGreaterThanOrEqual(10);
    expect(hour).toBeLessThanOrEqual(15);
    expect(Math.abs(hour - 14)).toBeGreaterThan(1);
  });

  it("retries a processing error within hours, and backs off between retries", () => {
    const retries = retriesOf(planCase(plannerInput({ lastCategory: "processing_error" })));
    expect(retries[0]!.dueAt.getTime() - Date.parse("2026-03-04T12:00:00Z")).toBeLessThanOrEqual(3 * HOUR);
    const gaps = retries.slice(1).map((r, i) => r.dueAt.getTime() - retries[i]!.dueAt.getTime());
    expect(gaps[gaps.length - 1]!).toBeGreaterThan(gaps[0]!);
  });
});

describe("fixed timing and the network guard", () => {
  const fixed: Policy = { ...defaultPolicy, maxAttempts: 3, timing: { mode: "fixed", fixedOffsetsHours: [24, 72, 120] } };
  const opened = new Date("2026-03-04T12:00:00Z");

  it("retries at the policy's offsets", () => {
    const retries = retriesOf(planCase(plannerInput({ policy: fixed })));
    expect(retries.map((r) => (r.dueAt.getTime() - opened.getTime()) / HOUR)).toEqual([24, 72, 120]);
    expect(retries.map((r) => r.key)).toEqual(["retry:1", "retry:2", "retry:3"]);
  });

  it("skips a refused time to the guard's retryAfter", () => {
    const refusedUntil = opened.getTime() + 30 * HOUR;
    const guard: NetworkGuard = (at) =>
      at.getTime() >= opened.getTime() + 24 * HOUR && at.getTime() < refusedUntil ? { allowed: false, retryAfter: new Date(refusedUntil), reason: "visa: 15 in 30 days" } : { allowed: true, retryAfter: null };
    const [first] = retriesOf(planCase(plannerInput({ policy: fixed, networkGuard: guard })));
    expect(first!.dueAt.getTime()).toBe(refusedUntil);
    expect(first!.reason).toContain("visa: 15 in 30 days");
  });

  it("moves a smart retry off a refused slot, and plans none when the card is blocked for good", () => {
    const chosen = retriesOf(planCase(plannerInput()))[0]!.dueAt.getTime();
    const guard: NetworkGuard = (at) => (at.getTime() >= chosen && at.getTime() < chosen + 26 * HOUR ? { allowed: false, retryAfter: new Date(chosen + 26 * HOUR) } : { allowed: true, retryAfter: null });
    const moved = retriesOf(planCase(plannerInput({ networkGuard: guard })))[0]!.dueAt.getTime();
    expect(moved < chosen || moved >= chosen + 26 * HOUR).toBe(true);
    const blocked = planCase(plannerInput({ networkGuard: () => ({ allowed: false, retryAfter: null, reason: "mastercard advice 03" }) }));
    expect(retriesOf(blocked)).toEqual([]);
    expect(blocked.some((s) => s.kind === "message")).toBe(true);
  });
});

describe("who may be retried, and on which card", () => {
  const opened = new Date("2026-03-04T12:00:00Z");
  const failedOn = (paymentMethodId: string | null, hoursAfter = 30) => ({ at: new Date(opened.getTime() + hoursAfter * HOUR), status: "failed" as const, category: "insufficient_funds" as const, paymentMethodId });
  const methods = [
    { id: "pm_default", isDefault: true, usable: true },
    { id: "pm_backup", isDefault: false, usable: true },
  ];
  const now = new Date(opened.getTime() + 31 * HOUR);

  it("uses a backup after the default fails, once per case, when the policy allows it", () => {
    const history = { attempts: [failedOn("pm_default")], stepsDone: [] };
    expect(retriesOf(planCase(plannerInput({ now, history, paymentMethods: methods })))[0]).toMatchObject({ paymentMethodId: "pm_backup", key: "retry:2" });
    const noBackups: Policy = { ...defaultPolicy, backupPaymentMethods: { allowed: false, maxPerCase: 0 } };
    expect(retriesOf(planCase(plannerInput({ now, history, paymentMethods: methods, policy: noBackups })))[0]?.paymentMethodId).toBe("pm_default");
    const afterBackup = { attempts: [failedOn("pm_default"), failedOn("pm_backup", 31), failedOn("pm_default", 60)], stepsDone: [] };
    const later = new Date(opened.getTime() + 61 * HOUR);
    expect(retriesOf(planCase(plannerInput({ now: later, history: afterBackup, paymentMethods: methods }))).map((r) => r.paymentMethodId)).not.toContain("pm_backup");
    const unusable = [methods[0]!, { ...methods[1]!, usable: false }];
    expect(retriesOf(planCase(plannerInput({ now, history, paymentMethods: unusable })))[0]?.paymentMethodId).toBe("pm_default");
  });

  it("never retries a hard decline or a card that needs updating, until a new card arrives, which is retried once at once", () => {
    for (const lastCategory of ["hard", "card_update_needed"] as const) {
      expect(retriesOf(planCase(plannerInput({ lastCategory, paymentMethods: methods })))).toEqual([]);
      const fresh = [{ id: "pm_old", isDefault: false, usable: false }, { id: "pm_new", isDefault: true, usable: true, addedAt: new Date(opened.getTime() + 5 * HOUR) }];
      const at = new Date(opened.getTime() + 6 * HOUR);
      const retries = retriesOf(planCase(plannerInput({ lastCategory, now: at, paymentMethods: fresh })));
      expect(retries).toEqual([expect.objectContaining({ dueAt: at, paymentMethodId: "pm_new", key: "retry:1" })]);
    }
  });

  it("sends the customer to authenticate instead of retrying off-session", () => {
    const steps = planCase(plannerInput({ lastCategory: "authentication_required" }));
    expect(retriesOf(steps)).toEqual([]);
    const action = steps.find((s) => s.template === "action_required")!;
    expect(action).toMatchObject({ kind: "message", key: "message:action_required:0", channel: "email" });
    const requiresAction = { attempts: [{ ...failedOn("pm_default"), status: "requires_action" as const }], stepsDone: [] };
    expect(retriesOf(planCase(plannerInput({ lastCategory: "soft", now, history: requiresAction })))).toEqual([]);
  });

  it("leaves retries to the provider when it owns them, and reminds the customer the day before its attempt", () => {
    const providerNextAttemptAt = new Date("2026-03-08T17:00:00Z"); // 10:00 in Los Angeles
    const steps = planCase(plannerInput({ retryOwner: "provider", providerNextAttemptAt }));
    expect(retriesOf(steps)).toEqual([]);
    const reminder = steps.find((s) => s.key.startsWith("message:provider_retry:"))!;
    expect(reminder.dueAt.getTime()).toBe(providerNextAttemptAt.getTime() - DAY);
    expect(reminder.template).toBe("reminder");
  });

  it("stops at maxAttempts and keeps numbering retries after the ones made", () => {
    const policy: Policy = { ...defaultPolicy, maxAttempts: 3, backupPaymentMethods: { allowed: false, maxPerCase: 0 } };
    const two = { attempts: [failedOn("pm_default", 30), failedOn("pm_default", 80)], stepsDone: [] };
    const later = new Date(opened.getTime() + 81 * HOUR);
    expect(retriesOf(planCase(plannerInput({ policy, now: later, history: two }))).map((r) => r.key)).toEqual(["retry:3"]);
    const three = { attempts: [...two.attempts, failedOn("pm_default", 200)], stepsDone: [] };
    expect(retriesOf(planCase(plannerInput({ policy, now: new Date(opened.getTime() + 201 * HOUR), history: three })))).toEqual([]);
  });
});

describe("messages and the final action", () => {
  it("plans each policy message not yet sent, moved out of the night, with deterministic keys", () => {
    const opened = new Date("2026-03-04T10:00:00Z"); // 02:00 in Los Angeles
    const steps = planCase(plannerInput({ caseOpenedAt: opened, now: opened, history: { attempts: [], stepsDone: [{ kind: "message", key: "message:2:reminder" }] } }));
    const messages = steps.filter((s) => s.kind === "message");
    expect(messages.map((m) => m.key)).toEqual(["message:0:payment_failed", "message:1:reminder", "message:3:final_notice"]);
    expect(wall(messages[0]!.dueAt, "America/Los_Angeles").hour).toBe(8);
    expect(messages[0]!.reason).toContain("moved out of the night");
    for (const m of messages) expect(wall(m.dueAt, "America/Los_Angeles").hour).toBeGreaterThanOrEqual(8);
  });

  it("takes the final action at the end of the window, or at the policy's offset, once", () => {
    const opened = new Date("2026-03-04T12:00:00Z");
    const end = planCase(plannerInput()).find((s) => s.kind === "final_action")!;
    expect(end).toMatchObject({ key: "final", finalAction: "cancel_at_period_end", dueAt: new Date(opened.getTime() + 21 * DAY) });
    const early: Policy = { ...defaultPolicy, finalAction: { action: "pause", offsetHours: 400 } };
    const steps = planCase(plannerInput({ policy: early }));
    expect(steps.find((s) => s.kind === "final_action")!.dueAt).toEqual(new Date(opened.getTime() + 400 * HOUR));
    expect(retriesOf(steps).every((r) => r.dueAt.getTime() < opened.getTime() + 400 * HOUR)).toBe(true);
    expect(planCase(plannerInput({ history: { attempts: [], stepsDone: [{ kind: "final_action", key: "final" }] } }))).toEqual([]);
  });

  it("plans nothing once the invoice is paid, and only the overdue final action after the window", () => {
    const opened = new Date("2026-03-04T12:00:00Z");
    const paid = { attempts: [{ at: new Date(opened.getTime() + DAY), status: "succeeded" as const, category: null, paymentMethodId: "pm_default" }], stepsDone: [] };
    expect(planCase(plannerInput({ history: paid, now: new Date(opened.getTime() + DAY) }))).toEqual([]);
    const late = planCase(plannerInput({ now: new Date(opened.getTime() + 30 * DAY) }));
    expect(late).toEqual([expect.objectContaining({ kind: "final_action", dueAt: new Date(opened.getTime() + 21 * DAY) })]);
  });
});
