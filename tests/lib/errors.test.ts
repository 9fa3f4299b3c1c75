import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, formFailure, isAppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";

describe("form failures", () => {
  it("name the first field at fault and list every problem of a form", () => {
    const schema = z.object({ name: z.string().min(1, "is required"), days: z.coerce.number().int().min(1, "must be at least 1") });
    let failure: ReturnType<typeof formFailure> | null = null;
    try {
      parseInput(schema, { name: "", days: "0" });
    } catch (error) {
      if (isAppError(error)) failure = formFailure(error);
    }
    expect(failure).toEqual({ error: "name: is required", field: "name", issues: ["name: is required", "days: must be at least 1"] });
  });

  it("keep a plain error plain", () => {
    expect(formFailure(new AppError("conflict", "This case is recovered."))).toEqual({ error: "This case is recovered." });
    expect(formFailure(new AppError("invalid_input", "Pick a date.", { field: "until" }))).toEqual({ error: "Pick a date.", field: "until" });
  });
});
