import { describe, expect, it } from "vitest";
import { capFreesAt, isReminderTemplate, nextSendTime, stopsWhenPaid } from "@/lib/messaging/rules";

const window = { startHour: 8, endHour: 21 };
const at = (iso: string) => new Date(iso);

describe("the local sending window (quiet hours)", () => {
  it("defers 06:30 on Berlin's spring-forward Sunday to 08:00 CEST, which is 06:00 UTC", () => {
    // 2026-03-29: clocks jump from 02:00 CET to 03:00 CEST; 06:30 CEST is 04:30 UTC.
    expect(nextSendTime(at("2026-03-29T04:30:00Z"), "Europe/Berlin", window).toISOString()).toBe("2026-03-29T06:00:00.000Z");
    // The evening before (CET, +01:00), the next start is the same instant: the night is an hour shorter.
    expect(nextSendTime(at("2026-03-28T21:30:00Z"), "Europe/Berlin", window).toISOString()).toBe("2026-03-29T06:00:00.000Z");
  });

  it("defers 06:30 on Berlin's fall-back Sunday to 08:00 CET, which is 07:00 UTC", () => {
    expect(nextSendTime(at("2026-10-25T05:30:00Z"), "Europe/Berlin", window).toISOString()).toBe("2026-10-25T07:00:00.000Z");
  });

  it("follows New York's and Sydney's own DST dates", () => {
    // 2026-03-08 New York springs forward: 23:00 EST Saturday → 08:00 EDT Sunday (12:00 UTC).
    expect(nextSendTime(at("2026-03-08T04:00:00Z"), "America/New_York", window).toISOString()).toBe("2026-03-08T12:00:00.000Z");
    // 2026-04-05 Sydney falls back: 06:00 AEST → 08:00 AEST (22:00 UTC the day before).
    expect(nextSendTime(at("2026-04-04T20:00:00Z"), "Australia/Sydney", window).toISOString()).toBe("2026-04-04T22:00:00.000Z");
  });

  it("sends inside the window at once, and treats the end hour as quiet", () => {
    expect(nextSendTime(at("2026-03-02T19:59:00Z"), "Europe/Berlin", window).toISOString()).toBe("2026-03-02T19:59:00.000Z"); // 20:59 local
    expect(nextSendTime(at("2026-03-02T20:00:00Z"), "Europe/Berlin", window).toISOString()).toBe("2026-03-03T07:00:00.000Z"); // 21:00 → 08:00 next day
    expect(nextSendTime(at("2026-03-02T07:00:00Z"), "Europe/Berlin", window).toISOString()).toBe("2026-03-02T07:00:00.000Z"); // 08:00 sharp
  });

  it("uses the customer's zone, not the server's: 10:00 UTC is quiet in Los Angeles", () => {
    expect(nextSendTime(at("2026-03-02T10:00:00Z"), "America/Los_Angeles", window).toISOString()).toBe("2026-03-02T16:00:00.000Z");
  });
});

describe("the weekly reminder cap", () => {
  const now = at("2026-03-10T12:00:00Z");
  it("allows up to max reminders in the rolling 7 days, then frees when the oldest counted one leaves", () => {
    expect(capFreesAt([at("2026-03-09T12:00:00Z")], now, 2)).toBeNull();
    expect(capFreesAt([at("2026-03-05T09:00:00Z"), at("2026-03-09T12:00:00Z")], now, 2)?.toISOString()).toBe("2026-03-12T09:00:00.000Z");
    // Three in the window with max 2: the second oldest decides.
    expect(capFreesAt([at("2026-03-04T09:00:00Z"), at("2026-03-06T09:00:00Z"), at("2026-03-09T12:00:00Z")], now, 2)?.toISOString()).toBe("2026-03-13T09:00:00.000Z");
  });
  it("forgets reminders older than 7 days", () => {
    expect(capFreesAt([at("2026-03-02T12:00:00Z"), at("2026-03-03T11:59:00Z"), at("2026-03-09T12:00:00Z")], now, 2)).toBeNull();
  });
});

describe("which messages the rules treat as reminders", () => {
  it("caps and stops reminders; receipts and confirmations go out after payment", () => {
    expect(["payment_failed", "reminder", "final_notice", "action_required", "card_expiring"].every((t) => isReminderTemplate(t as never))).toBe(true);
    expect(isReminderTemplate("payment_recovered")).toBe(false);
    expect(stopsWhenPaid("reminder")).toBe(true);
    expect(stopsWhenPaid("installment_failed")).toBe(true);
    expect(stopsWhenPaid("payment_recovered")).toBe(false);
    expect(stopsWhenPaid("help_received")).toBe(false);
  });
});
