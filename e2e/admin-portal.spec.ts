import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { copyFor } from "../lib/portal/i18n";
import { dunwell, portalLink } from "./server";

/**
 * The operator's side of the portal: a customer asks for help, the badge and the list show
 * it, the case page resolves it, hands out a fresh link and revokes every link and session.
 */

const en = copyFor("en");


async function signInAsOwner(page: Page): Promise<void> {
  const demo = ((await dunwell(["workspace", "list"])) as { id: string; isDemo: boolean }[]).find((w) => w.isDemo)!;
  const invite = (await dunwell(["operator", "invite", "--workspace", demo.id, "--email", "demo@dunwell.local", "--role", "owner"])) as { signInUrl: string };
  await page.goto(invite.signInUrl);
  await expect(page).toHaveURL(/\/admin$/);
}

/** axe on the portal card only (the rest of the page belongs to other tests), at phone and desktop width. */
async function check(page: Page, name: string): Promise<void> {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    const { violations } = await new AxeBuilder({ page }).include("#portal").analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), `${name} at ${width}px`).toEqual([]);
    await page.screenshot({ path: `test-results/screens/admin-${name}-${width}.png`, fullPage: true });
  }
}

test("help badge and list, resolve, a hand-sent link, and revoking links and sessions", async ({ page, browser }) => {
  // The customer asks for help from a fresh case of their own.
  const { caseId, url } = await portalLink("--new", "tok_generic_decline", "--amount", "4200");
  const customer = await (await browser.newContext()).newPage();
  await customer.goto(url);
  await customer.getByRole("link", { name: en.overview.help }).click();
  await customer.getByLabel(en.help.topics.question).check();
  await customer.getByLabel(en.help.messageLabel).fill("Can I pay by bank transfer instead?");
  await customer.getByRole("button", { name: en.help.submit }).click();
  await expect(customer.getByRole("heading", { name: en.help.ackTitle })).toBeVisible();

  await signInAsOwner(page);
  const navLink = page.getByRole("navigation", { name: "Main" }).first().getByRole("link", { name: /^Help requests \(\d+ open\)$/ });
  await expect(navLink).toBeVisible();
  const before = Number((await navLink.textContent())!.match(/(\d+) open/)![1]);
  await navLink.click();
  await expect(page.getByRole("heading", { name: "Help requests" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "Can I pay by bank transfer instead?" });
  await expect(row).toHaveCount(1);
  await page.screenshot({ path: "test-results/screens/admin-help-1280.png", fullPage: true });
  await row.getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/admin/cases/${caseId}`));

  const portal = page.locator("#portal");
  await expect(portal.getByText("Can I pay by bank transfer instead?")).toBeVisible();
  await check(page, "case-portal");
  await portal.getByRole("button", { name: "Mark resolved" }).click();
  await expect(page.getByText("Help request resolved. The case stays paused until you resume it.")).toBeVisible();
  await expect(portal.getByText("Can I pay by bank transfer instead?")).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Main" }).first().getByRole("link", { name: /^Help requests/ })).toHaveAccessibleName(
    before - 1 > 0 ? `Help requests (${before - 1} open)` : "Help requests",
  );

  // A fresh link to send by hand opens the portal in a new browser.
  await portal.getByRole("button", { name: "Create portal link" }).click();
  const link = await portal.getByLabel("Portal link").inputValue();
  expect(link).toMatch(/\/portal\/l\/[A-Za-z0-9_-]+\.k[0-9a-f]{8}\.[A-Za-z0-9_-]+$/);
  const other = await (await browser.newContext()).newPage();
  await other.goto(link);
  await expect(other).toHaveURL(/\/portal$/);

  // Revoking ends the open session and every link sent so far.
  await portal.getByRole("checkbox", { name: "The customer's links stop working at once" }).check();
  await portal.getByRole("button", { name: "Revoke portal links" }).click();
  await expect(portal.getByRole("status").filter({ hasText: "Portal links revoked" })).toBeVisible();
  // The link shown before is revoked too, so it is gone from the page.
  await expect(portal.getByLabel("Portal link")).toHaveCount(0);
  await other.reload();
  await expect(other).toHaveURL(/\/portal\/expired/);
  await customer.goto(url);
  await expect(customer).toHaveURL(/\/portal\/expired/);
  await other.goto(link);
  await expect(other).toHaveURL(/\/portal\/expired/);
  await check(page, "case-portal-after");
});
