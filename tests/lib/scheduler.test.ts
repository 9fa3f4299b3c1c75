import { describe, expect, it } from "vitest";
import { registerTickJob, tickOnce } from "@/lib/scheduler/inprocess";

describe("in-process scheduler", () => {
  it("runs every registered job with the given time, and a failing job does not stop the others", async () => {
    const seen: string[] = [];
    const now = new Date("2026-03-29T01:30:00Z");
    registerTickJob({ name: "boom", run: async () => { throw new Error("kaput"); } });
    registerTickJob({ name: "after", run: async (at) => { seen.push(at.toISOString()); } });
    const results = await tickOnce(now);
    expect(results.find((r) => r.name === "boom")).toMatchObject({ ok: false });
    expect(results.find((r) => r.name === "after")).toMatchObject({ ok: true });
    expect(seen).toEqual([now.toISOString()]);
  });
});
