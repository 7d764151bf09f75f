/**
 * The ledger node status page on the embedded single node: reachable from admin, shows this node
 * with its height final (quorum 1) and no peers; refused to non-admins, page and procedure alike.
 */
import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("an admin sees the ledger nodes; a viewer is refused", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin");
  await page.getByTestId("admin-nodes-link").click();
  await expect(page).toHaveURL(/\/admin\/nodes$/);
  const status = page.getByTestId("node-status");
  await expect(status).toHaveAttribute("data-mode", "single");
  const self = page.getByTestId("node-table").locator("tr[data-node='sz-1']");
  await expect(self).toContainText("本节点");
  await expect(self).toContainText("签名中");
  const height = Number((await self.locator("td").nth(3).innerText()).trim());
  expect(height).toBeGreaterThan(0);
  await expect(page.getByTestId("node-final")).not.toHaveText("—");
  await expect(page.getByTestId("node-table")).toContainText("暂无其他节点");
  await page.screenshot({ path: "test-results/nodes-single.png", fullPage: true });

  // The wall's summary is for every signed-in role; the full status only for administrators.
  // Sign-out lands on /login once its cookie is gone; going there sooner is redirected home.
  await page.getByTestId("sign-out").click();
  await page.waitForURL(/\/login/);
  await signIn(page, "tp.viewer");
  const res = await page.goto("/admin/nodes");
  expect(res?.status()).toBe(403);
  const calls = await page.evaluate(async () => {
    const [full, summary] = await Promise.all([fetch("/api/trpc/nodes.status"), fetch("/api/trpc/nodes.summary")]);
    return { full: full.status, summary: summary.status, body: await summary.json() };
  });
  expect(calls.full).toBe(403);
  expect(calls.summary).toBe(200);
  expect(calls.body.result.data.json.nodes).toEqual([expect.objectContaining({ id: "sz-1", online: true, flagged: false })]);
});
