import { expect, test } from "@playwright/test";
import { dunwell } from "./server";

test.describe("dunning admin on the seeded sandbox", () => {
  test.beforeEach(async ({ page }) => {
    const demo = ((await dunwell(["workspace", "list"])) as { id: string; isDemo: boolean }[]).find((w) => w.isDemo)!;
    const invite = (await dunwell(["operator", "invite", "--workspace", demo.id, "--email", "demo@dunwell.local", "--role", "owner"])) as { signInUrl: string };
    await page.goto(invite.signInUrl);
    await expect(page).toHaveURL(/\/admin$/);
  });

  test("the seeded failures opened cases; a case page shows its timeline and planned steps", async ({ page }) => {
    await page.goto("/admin/cases?status=open");
    await expect(page.getByRole("heading", { name: "Cases" })).toBeVisible();
    const row = page.getByRole("row").filter({ hasText: "jonas@brauhaus.example" });
    await expect(row).toHaveCount(1);
    await page.screenshot({ path: "test-results/screens/admin-cases-1280.png", fullPage: true });
    await row.getByRole("link").first().click();
    await expect(page.getByText(/Case opened/).first()).toBeVisible();
    await expect(page.getByText(/planned/i).first()).toBeVisible();
    await page.screenshot({ path: "test-results/screens/admin-case-1280.png", fullPage: true });
  });

  test("the policy editor shows the default policy with its timeline", async ({ page }) => {
    await page.goto("/admin/policies/default");
    await expect(page.getByLabel(/JSON|Policy/i).first()).toBeVisible();
    await expect(page.getByText(/final/i).first()).toBeVisible();
    await page.screenshot({ path: "test-results/screens/admin-policy-1280.png", fullPage: true });
  });

  test("advancing the test clock runs the engine and the case moves on", async ({ page }) => {
    await page.goto("/admin/clock");
    await page.getByLabel("Days").fill("3");
    await page.getByRole("button", { name: "Advance clock" }).click();
    await expect(page.getByRole("status").filter({ hasText: /advanced|ran|step/i }).first()).toBeVisible({ timeout: 30_000 });
    const cases = (await dunwell(["cases", "list", "--workspace", ((await dunwell(["workspace", "list"])) as { id: string; isDemo: boolean }[]).find((w) => w.isDemo)!.id])) as { status: string }[];
    expect(cases.length).toBeGreaterThan(0);
  });
});
