import { expect, test, type Page } from "@playwright/test";
import { dunwell } from "./server";

/**
 * The template editor: an operator rewords a template in one language, watches the preview
 * follow (desktop and phone frames) before anything is saved, saves, sends themselves a test
 * and finds it in the Outbox. The wording is reset at the end: other specs share the server.
 */

const OPERATOR = "demo@dunwell.local";
const EDITOR = "/admin/templates/card_expiring?locale=es";

// Within the shown preview region: while the page streams in, a hidden copy of it may exist too.
const preview = (page: Page, frame: "Desktop, 1280 px" | "Phone, 390 px") =>
  page.getByRole("region", { name: /^Preview/ }).locator(`iframe[title="${frame} preview"]`).contentFrame();

async function resetWording(page: Page) {
  await page.goto(EDITOR);
  const reset = page.getByRole("button", { name: "Reset Spanish to default" });
  if (await reset.isVisible()) {
    await reset.click();
    // The page comes back with the default wording (the button alone may just be pending).
    await expect(page.getByText(/^Dunwell's default wording\./)).toBeVisible({ timeout: 15_000 });
  }
  await page.goto("/admin/templates");
  await expect(page.getByRole("link", { name: "Card expiring in Spanish: default wording" })).toBeVisible();
}

test.describe("message template editor", () => {
  test.beforeEach(async ({ page }) => {
    const demo = ((await dunwell(["workspace", "list"])) as { id: string; isDemo: boolean }[]).find((w) => w.isDemo)!;
    const invite = (await dunwell(["operator", "invite", "--workspace", demo.id, "--email", OPERATOR, "--role", "owner"])) as { signInUrl: string };
    await page.goto(invite.signInUrl);
    await expect(page).toHaveURL(/\/admin$/);
  });

  test.afterEach(async ({ page }) => resetWording(page));

  test("rewords a template in one language with a live preview, saves it and sends a test to the Outbox", async ({ page, context }) => {
    const mark = `e2e-${Date.now().toString(36)}`;
    const subject = `Prueba ${mark}: su tarjeta caduca pronto`;
    const intro = `Hola, esto es la prueba ${mark} del editor.`;

    await page.goto("/admin/templates");
    await expect(page.getByRole("heading", { name: "Message templates" })).toBeVisible();
    await page.getByRole("link", { name: "Card expiring in Spanish: default wording" }).click();
    await expect(page).toHaveURL(/\/admin\/templates\/card_expiring\?locale=es$/);
    await expect(page.getByRole("heading", { name: "Card expiring · Spanish" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Language" }).getByRole("link", { name: "Spanish" })).toHaveAttribute("aria-current", "page");

    // Type: the preview follows in both frames, nothing is stored yet.
    await page.getByLabel("Subject", { exact: true }).fill(subject);
    await page.getByLabel("Introduction").fill(intro);
    await expect(page.getByText("Unsaved changes")).toBeVisible();
    await expect(page.getByText(`Subject: ${subject}`)).toBeVisible();
    await expect(preview(page, "Desktop, 1280 px").getByText(intro)).toBeVisible();
    await expect(preview(page, "Phone, 390 px").getByText(intro)).toBeVisible();
    const elsewhere = await context.newPage();
    await elsewhere.goto("/admin/templates");
    await expect(elsewhere.getByRole("link", { name: "Card expiring in Spanish: default wording" })).toBeVisible();
    await elsewhere.close();
    await page.screenshot({ path: "test-results/screens/admin-template-editor-1280.png", fullPage: true });
    const phoneFrame = page.getByRole("region", { name: /^Preview/ }).locator("figure").filter({ hasText: "Phone, 390 px" });
    await phoneFrame.scrollIntoViewIfNeeded();
    await phoneFrame.screenshot({ path: "test-results/screens/admin-template-preview-phone.png" });
    // The editor itself on a phone: the preview frames stack under the fields and still follow.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByLabel("Introduction").fill(`${intro} ¡Gracias!`);
    await expect(preview(page, "Phone, 390 px").getByText(`${intro} ¡Gracias!`)).toBeVisible();
    await page.getByLabel("Introduction").fill(intro);
    await expect(preview(page, "Phone, 390 px").getByText(intro, { exact: true })).toBeVisible();
    await page.screenshot({ path: "test-results/screens/admin-template-editor-390.png", fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });

    await page.getByRole("button", { name: "Save Spanish wording" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Saved. Spanish messages use this wording from now on." })).toBeVisible();
    await expect(page.getByText("Unsaved changes")).toHaveCount(0);
    await page.goto("/admin/templates");
    await expect(page.getByRole("link", { name: "Card expiring in Spanish: customized" })).toBeVisible();

    // The saved wording comes back with the page, and the test goes to the operator.
    await page.goto(EDITOR);
    await expect(page.getByLabel("Subject", { exact: true })).toHaveValue(subject);
    await expect(preview(page, "Desktop, 1280 px").getByText(intro)).toBeVisible();
    await page.getByRole("button", { name: "Send me a test" }).click();
    await expect(page.getByRole("status").filter({ hasText: `the test is in the Outbox (addressed to ${OPERATOR})` })).toBeVisible();

    await page.goto(`/admin/outbox?q=${encodeURIComponent(mark)}`);
    const row = page.getByRole("row").filter({ hasText: OPERATOR });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText("Card expiring");
    await expect(row).toContainText("Spanish");
    await expect(row).toContainText("Sent");
    await row.getByRole("link", { name: "Card expiring" }).click();
    await expect(page.getByRole("heading", { name: subject })).toBeVisible();
    await expect(page.getByRole("region", { name: "Plain-text part" })).toContainText(intro);
    await expect(page.getByRole("region", { name: "As the recipient sees it" }).locator("iframe").contentFrame().getByText(intro)).toBeVisible();
  });
});
