import { expect, test } from "@playwright/test";
import { dunwell } from "./server";

test.describe("billing admin on the seeded sandbox", () => {
  test.beforeEach(async ({ page }) => {
    const demo = ((await dunwell(["workspace", "list"])) as { id: string; isDemo: boolean }[]).find((w) => w.isDemo)!;
    const invite = (await dunwell(["operator", "invite", "--workspace", demo.id, "--email", "demo@dunwell.local", "--role", "owner"])) as { signInUrl: string };
    await page.goto(invite.signInUrl);
    await expect(page).toHaveURL(/\/admin$/);
  });

  test("connections show the sandbox with its webhook URL, and Test connection answers", async ({ page }) => {
    await page.goto("/admin/connections");
    await expect(page.getByRole("heading", { name: "Connections" })).toBeVisible();
    await expect(page.getByText("Sandbox (demo)").first()).toBeVisible();
    await expect(page.getByText(/\/api\/webhooks\/sandbox\/con_/).first()).toBeVisible();
    await page.getByRole("button", { name: "Test connection" }).first().click();
    await expect(page.getByText(/sandbox:con_/).first()).toBeVisible();
    await page.screenshot({ path: "test-results/screens/admin-connections-1280.png", fullPage: true });
  });

  test("invoices list the seeded failures; an invoice shows its declined attempt", async ({ page }) => {
    await page.goto("/admin/invoices?status=open");
    const rows = page.getByRole("row");
    await expect(rows.filter({ hasText: "camille@atelier.example" })).toHaveCount(1);
    await page.screenshot({ path: "test-results/screens/admin-invoices-1280.png", fullPage: true });
    await rows.filter({ hasText: "jonas@brauhaus.example" }).getByRole("link").first().click();
    await expect(page.getByText(/insufficient_funds|expired_card|generic_decline/).first()).toBeVisible();
  });

  test("the inbox shows processed sandbox events with their payload", async ({ page }) => {
    await page.goto("/admin/inbox?status=processed");
    const first = page.getByRole("row").nth(1);
    await expect(first).toContainText(/processed/i);
    await first.getByRole("link").first().click();
    await expect(page.locator("pre").first()).toContainText('"type"');
  });
});
