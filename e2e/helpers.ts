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

/**
 * Distinct colours of a map as drawn: its canvases (the base map, then the deck.gl overlay; both keep
 * their drawing buffer) composited into a 64×64 probe.
 */
export async function mapColours(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((el) => {
    const probe = document.createElement("canvas");
    probe.width = 64;
    probe.height = 64;
    const ctx = probe.getContext("2d")!;
    for (const c of el.querySelectorAll("canvas")) if (c.width && c.height) ctx.drawImage(c, 0, 0, 64, 64);
    const d = ctx.getImageData(0, 0, 64, 64).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
}

/** Waits until a map has drawn (more than `min` colours), rather than for a time: software WebGL is slow and its pace varies. */
export async function mapDrawn(page: Page, testId: string, min = 20): Promise<void> {
  await expect.poll(() => mapColours(page, testId), { timeout: 90_000 }).toBeGreaterThan(min);
}
