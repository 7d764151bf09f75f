/** Screenshots of home, admin and explorer at desktop (1280), tablet (820) and phone (375) widths, for review. */
import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

const WIDTHS = [
  { name: "desktop", width: 1280, height: 860 },
  { name: "tablet", width: 820, height: 1180 },
  { name: "phone", width: 375, height: 812 },
];

/** Screenshot the full page, and fail when it scrolls sideways at this width. */
async function shoot(page: Page, path: string): Promise<void> {
  await page.screenshot({ path, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${path}: horizontal overflow`).toBeLessThanOrEqual(1);
}

for (const size of WIDTHS) {
  test(`screenshots at ${size.name} width`, async ({ page }, info) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto("/login");
    await expect(page.locator("#username")).toBeVisible();
    await shoot(page, info.outputPath(`login-${size.name}.png`));
    await signIn(page, "admin");
    await expect(page.getByTestId("alerts").locator("li").first()).toBeVisible();
    await expect(page.getByTestId("ledger-height")).toBeVisible();
    await shoot(page, info.outputPath(`home-${size.name}.png`));

    await page.goto("/admin");
    await expect(page.getByTestId("user-table")).toBeVisible();
    await shoot(page, info.outputPath(`admin-users-${size.name}.png`));
    await page.getByTestId("tab-depts").click();
    await expect(page.getByTestId("dept-sz.futian")).toBeVisible();
    await shoot(page, info.outputPath(`admin-depts-${size.name}.png`));

    await page.goto("/explorer");
    await expect(page.getByTestId("block-list").locator("li").first()).toBeVisible();
    await shoot(page, info.outputPath(`explorer-${size.name}.png`));

    const first = page.getByTestId("latest-txs").locator('a[href^="/explorer/tx/"]').first();
    await first.click();
    await expect(page.getByTestId("tx-detail")).toBeVisible();
    await page.getByTestId("verify-receipt").click();
    await expect(page.getByTestId("verify-result")).toBeVisible();
    await shoot(page, info.outputPath(`explorer-tx-${size.name}.png`));

    // English.
    await page.goto("/");
    await page.getByTestId("locale-switch").click();
    await expect(page.getByRole("heading", { name: "My apps" })).toBeVisible();
    await shoot(page, info.outputPath(`home-en-${size.name}.png`));
    await page.getByTestId("locale-switch").click();
    await expect(page.getByRole("heading", { name: "我的应用" })).toBeVisible();
  });
}
