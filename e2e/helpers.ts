/** Shared steps for the portal's e2e tests. */
import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "Demo@2026";

export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.locator("#username").fill(username);
  await page.locator("#password").fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByTestId("sign-out")).toBeVisible();
}
