/** Screenshots of home, admin and explorer at desktop (1280), tablet (820) and phone (375) widths, for review. */
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

const WIDTHS = [
  { name: "desktop", width: 1280, height: 860 },
  { name: "tablet", width: 820, height: 1180 },
  { name: "phone", width: 375, height: 812 },
];

for (const size of WIDTHS) {
  test(`screenshots at ${size.name} width`, async ({ page }, info) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto("/login");
    await expect(page.locator("#username")).toBeVisible();
    await page.screenshot({ path: info.outputPath(`login-${size.name}.png`), fullPage: true });
    await signIn(page, "admin");
    await expect(page.getByTestId("alerts").locator("li").first()).toBeVisible();
    await expect(page.getByTestId("ledger-height")).toBeVisible();
    await page.screenshot({ path: info.outputPath(`home-${size.name}.png`), fullPage: true });

    await page.goto("/admin");
    await expect(page.getByTestId("user-table")).toBeVisible();
    await page.screenshot({ path: info.outputPath(`admin-users-${size.name}.png`), fullPage: true });
    await page.getByTestId("tab-depts").click();
    await expect(page.getByTestId("dept-sz.futian")).toBeVisible();
    await page.screenshot({ path: info.outputPath(`admin-depts-${size.name}.png`), fullPage: true });

    await page.goto("/explorer");
    await expect(page.getByTestId("block-list").locator("li").first()).toBeVisible();
    await page.screenshot({ path: info.outputPath(`explorer-${size.name}.png`), fullPage: true });

    const first = page.getByTestId("latest-txs").locator('a[href^="/explorer/tx/"]').first();
    await first.click();
    await expect(page.getByTestId("tx-detail")).toBeVisible();
    await page.getByTestId("verify-receipt").click();
    await expect(page.getByTestId("verify-result")).toBeVisible();
    await page.screenshot({ path: info.outputPath(`explorer-tx-${size.name}.png`), fullPage: true });

    // No horizontal overflow at this width.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
  });
}
