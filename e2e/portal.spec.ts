import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { nodeSuite } from "../chain/node-crypto";
import type { NodePin } from "../chain/node-pin";
import { verifyReceipt, type Receipt } from "../chain/receipt";
import { signIn } from "./helpers";

test("two roles sign in and see different apps", async ({ browser }) => {
  const viewer = await browser.newPage();
  await signIn(viewer, "tp.viewer");
  const tiles = viewer.getByTestId("app-tiles");
  await expect(tiles.getByTestId("app-bigscreen")).toBeVisible();
  await expect(tiles.getByTestId("app-admin")).toHaveCount(0);
  await expect(tiles.getByTestId("app-explorer")).toHaveCount(0);
  await expect(viewer.getByTestId("ledger-height")).toHaveText(/\d+/);
  await expect(viewer.getByTestId("alerts").locator("li").first()).toBeVisible();

  const admin = await browser.newPage();
  await signIn(admin, "admin");
  const adminTiles = admin.getByTestId("app-tiles");
  await expect(adminTiles.getByTestId("app-admin")).toBeVisible();
  await expect(adminTiles.getByTestId("app-explorer")).toBeVisible();
  await expect(adminTiles.getByTestId("app-idcheck")).not.toHaveAttribute("aria-disabled", "true");
  // The traffic police viewer does no ID checks: no tile.
  await expect(tiles.getByTestId("app-idcheck")).toHaveCount(0);

  // English on request, Chinese by default.
  await expect(admin.getByRole("heading", { name: "我的应用" })).toBeVisible();
  await admin.getByTestId("locale-switch").click();
  await expect(admin.getByRole("heading", { name: "My apps" })).toBeVisible();
  await admin.getByTestId("locale-switch").click();
  await expect(admin.getByRole("heading", { name: "我的应用" })).toBeVisible();

  // Global search finds departments by name.
  await admin.getByTestId("global-search").locator("input").fill("福田");
  await expect(admin.getByTestId("global-search").getByText("福田交警大队")).toBeVisible();
});

test("a forbidden page and a forbidden procedure answer 403, anonymous calls 401", async ({ page }) => {
  const anon = await page.request.get("/api/trpc/admin.users");
  expect(anon.status()).toBe(401);
  expect((await anon.json()).error.json.data.code).toBe("UNAUTHORIZED");

  await signIn(page, "tp.viewer");
  const res = await page.goto("/admin");
  expect(res?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toContainText("403");

  const raw = await page.evaluate(async () => {
    const r = await fetch("/api/trpc/admin.users");
    return { status: r.status, body: await r.json() };
  });
  expect(raw.status).toBe(403);
  expect(raw.body.error.json.data.code).toBe("FORBIDDEN");
  expect(raw.body.error.json.message).toMatch(/Forbidden/);

  const bad = await page.request.post("/api/trpc/admin.createUser", { data: { json: { id: "Bad Id" } } });
  expect(bad.status()).toBe(403); // authorisation precedes validation
});

test("an admin creates a user; the transaction is in the explorer; its receipt verifies in the page and offline", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/admin");
  await page.getByTestId("new-user").click();
  const form = page.getByTestId("user-form");
  const id = `e2e.${Date.now().toString(36)}`;
  await form.locator("#user-id").fill(id);
  await form.locator("#user-name").fill("测试用户");
  await form.locator("#user-dept").selectOption("sz.futian.tp");
  await form.locator("#user-role").selectOption("operator");
  await form.locator("#user-clearance").selectOption("2");
  await form.locator("#user-password").fill("E2e-Passw0rd!");
  await page.getByTestId("create-user-submit").click();
  const notice = page.getByTestId("tx-notice");
  await expect(notice).toBeVisible();
  const hash = (await notice.getByTestId("tx-hash").textContent())!.trim();
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId(`user-row-${id}`)).toBeVisible();

  // Find it in the explorer: latest transactions, then its page.
  await page.goto("/explorer");
  await expect(page.getByTestId("latest-txs").locator(`a[href="/explorer/tx/${hash}"]`)).toBeVisible();
  await page.getByTestId("latest-txs").locator(`a[href="/explorer/tx/${hash}"]`).click();
  await expect(page.getByTestId("tx-type")).toContainText("user.create");
  await expect(page.getByTestId("tx-actor")).toHaveText("admin");
  await expect(page.getByTestId("tx-payload")).toContainText(id);
  await expect(page.getByTestId("tx-payload")).not.toContainText("scrypt$");

  // Verify in the browser.
  await page.getByTestId("verify-receipt").click();
  const result = page.getByTestId("verify-result");
  await expect(result).toHaveAttribute("data-ok", "true");
  await expect(result.getByTestId("verify-check")).toHaveCount(10);
  await expect(result.locator('[data-testid="verify-check"][data-ok="false"]')).toHaveCount(0);

  // Download and verify offline with node:crypto, pinning the node key from the server.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-receipt").click()]);
  const receipt = JSON.parse(await readFile((await download.path())!, "utf8")) as Receipt;
  expect(receipt.tx.hash).toBe(hash);
  const pinned = (await page.evaluate(async () => (await (await fetch("/api/trpc/explorer.nodePin")).json()).result.data.json)) as NodePin;
  const check = verifyReceipt(nodeSuite, receipt, pinned);
  expect(check.checks.filter((c) => !c.ok)).toEqual([]);
  expect(check.ok).toBe(true);
  // A tampered receipt fails.
  const tampered = { ...receipt, tx: { ...receipt.tx, text: receipt.tx.text.replace("测试用户", "篡改用户") } };
  expect(verifyReceipt(nodeSuite, tampered, pinned).ok).toBe(false);

  // The record's history lists the creating transaction.
  await page.getByTestId("record-link").click();
  await expect(page.getByTestId("record-history").locator(`a[href="/explorer/tx/${hash}"]`)).toBeVisible();
});

test("a department admin manages only their own department", async ({ page }) => {
  await signIn(page, "tp.admin");
  await page.goto("/admin");
  const table = page.getByTestId("user-table");
  await expect(table.getByTestId("user-row-tp.operator")).toBeVisible();
  await expect(table.getByTestId("user-row-admin")).toHaveCount(0);
  await expect(table.getByTestId("user-row-em.dispatcher")).toHaveCount(0);
  await page.getByTestId("new-user").click();
  await expect(page.locator("#user-dept")).toBeDisabled();
  await expect(page.locator("#user-role option")).toHaveCount(4); // roles below dept_admin
  await page.getByTestId("tab-depts").click();
  await expect(page.getByTestId("new-dept")).toHaveCount(0);
  // The server refuses what the page does not offer.
  const res = await page.evaluate(async () => {
    const r = await fetch("/api/trpc/admin.updateDepartment", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { id: "sz.tp", name: "x" } }),
    });
    return r.status;
  });
  expect(res).toBe(403);
});

test("a signed-out visit to a page returns there after sign-in", async ({ page }) => {
  await page.goto("/explorer/block/1");
  await expect(page).toHaveURL(/\/login\?next=%2Fexplorer%2Fblock%2F1/);
  await page.locator("#username").fill("tp.supervisor");
  await page.locator("#password").fill("Demo@2026");
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === "/explorer/block/1");
  await expect(page.getByTestId("block-header")).toBeVisible();
});

test("sign-out ends the session", async ({ page }) => {
  await signIn(page, "tp.operator");
  await page.getByTestId("sign-out").click();
  await page.waitForURL(/\/login/);
  const res = await page.request.get("/api/trpc/portal.status");
  expect(res.status()).toBe(401);
});
