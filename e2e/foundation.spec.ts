import { expect, test, type Page } from "@playwright/test";
import { dunwell, readState } from "./server";

test("the demo sign-in link printed by npm start signs in and shows the admin shell", async ({ page }) => {
  await page.goto(readState().demoLink);
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { name: "Demo SaaS (sandbox)" })).toBeVisible();
  await expect(page.getByRole("navigation").getByRole("link", { name: "Settings" }).first()).toBeVisible();
  await expect(page.getByText("Sandbox").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screens/admin-overview-1280.png", fullPage: true });
  // The link works once.
  await page.context().clearCookies();
  await page.goto(readState().demoLink);
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByText(/expired or was already used/)).toBeVisible();
});

test("a signed-out visit to /admin goes to the sign-in page", async ({ page }) => {
  await page.goto("/admin/team");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fadmin%2Fteam/);
  await expect(page.getByRole("heading", { name: "Sign in to Dunwell" })).toBeVisible();
  await expect(page.getByLabel("Work email")).toBeVisible();
});

/** Post a copy of a server-rendered form from another page, as a crafted request would. */
async function postCopiedForm(page: Page, formHtml: string, name: string) {
  await page.goto("/admin");
  await Promise.all([
    page.waitForNavigation(),
    page.evaluate(
      ({ html, value }) => {
        const holder = document.createElement("div");
        holder.innerHTML = html;
        document.body.append(holder);
        const form = holder.querySelector("form")!;
        (form.querySelector('input[name="name"]') as HTMLInputElement).value = value;
        form.submit();
      },
      { html: formHtml, value: name },
    ),
  ]);
}

test("a viewer cannot open an owner-only page or call its action", async ({ browser }) => {
  const workspaces = (await dunwell(["workspace", "list"])) as { id: string; name: string; isDemo: boolean }[];
  const demo = workspaces.find((w) => w.isDemo)!;
  const nameOf = async () => ((await dunwell(["workspace", "list"])) as { id: string; name: string }[]).find((w) => w.id === demo.id)?.name;

  // The owner's settings page carries the "rename workspace" server action.
  const owner = await (await browser.newContext()).newPage();
  const ownerInvite = (await dunwell(["operator", "invite", "--workspace", demo.id, "--email", "demo@dunwell.local", "--role", "owner"])) as { signInUrl: string };
  await owner.goto(ownerInvite.signInUrl);
  await owner.goto("/admin/settings");
  await expect(owner.getByLabel("Workspace name")).toHaveValue(demo.name);
  await owner.screenshot({ path: "test-results/screens/admin-settings-1280.png", fullPage: true });
  const formHtml = await owner.locator("form", { has: owner.getByLabel("Workspace name") }).evaluate((f) => f.outerHTML);

  const viewer = await (await browser.newContext()).newPage();
  const viewerInvite = (await dunwell(["operator", "invite", "--workspace", demo.id, "--email", "viewer@dunwell.local", "--role", "viewer"])) as { signInUrl: string };
  await viewer.goto(viewerInvite.signInUrl);
  await expect(viewer).toHaveURL(/\/admin$/);
  await expect(viewer.getByRole("link", { name: "Settings" })).toHaveCount(0);

  // Streaming has begun (loading state) before the page refuses, so the status stays 200; the content is what counts.
  await viewer.goto("/admin/settings");
  await expect(viewer.getByRole("heading", { name: /don’t have access/ })).toBeVisible();
  await expect(viewer.getByLabel("Workspace name")).toHaveCount(0);

  await postCopiedForm(viewer, formHtml, "Hijacked by a viewer");
  expect(await nameOf()).toBe(demo.name);

  // The same crafted post from the owner goes through: the refusal above was the role check.
  await postCopiedForm(owner, formHtml, "Renamed by its owner");
  expect(await nameOf()).toBe("Renamed by its owner");
});
