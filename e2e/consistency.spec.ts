/**
 * History consistency in the explorer: from the explorer home to the consistency page, two heights
 * in, the proof shown and verified in the browser against the pinned node keys.
 */
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("an operator proves and verifies history consistency in the browser", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/explorer");
  await page.getByTestId("consistency-link").click();
  await expect(page).toHaveURL(/\/explorer\/consistency$/);
  await page.getByTestId("consistency-from").fill("1");
  await page.getByTestId("consistency-to").fill("3");
  await page.getByTestId("consistency-prove").click();
  const result = page.getByTestId("consistency-result");
  await expect(result).toHaveAttribute("data-ok", "true");
  await expect(result).toContainText("一致 consistent");
  await expect(page.getByTestId("consistency-proof")).toContainText("→");
  await page.screenshot({ path: "test-results/explorer-consistency.png", fullPage: true });

  // A range beyond the tip is refused by the server, named in both languages.
  await page.getByTestId("consistency-to").fill("99999999");
  await page.getByTestId("consistency-prove").click();
  // (Next also announces the route in an alert region: pick the error one.)
  await expect(page.getByRole("alert").filter({ hasText: "not found" })).toBeVisible();
});
