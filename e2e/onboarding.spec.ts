/**
 * Onboarding from an empty ledger (the server started with CITYLEDGER_DEMO=0, see playwright.config):
 * the administrator registers a company with its own ed25519 key, a vehicle and (by CSV, after a
 * preview that shows a bad row) a driver; the company's signed pings put the vehicle on the big
 * screen; revoking its licence makes its next moving pings raise the unlicensed alarm.
 */
import { expect, test, type Page } from "@playwright/test";
import { toHex, utf8 } from "../chain/bytes";
import { nodeSignatures } from "../chain/node-crypto";
import { generateKeyPair } from "../chain/signature";
import { signIn } from "./helpers";

const EMPTY = `http://127.0.0.1:${process.env.E2E_EMPTY_PORT ?? 3101}`;
const ADMIN_PASSWORD = "Onboard@e2e-2026";
const SHOTS = "test-results/screens";
const company = { id: "e2e-taxi", name: "鹏城出租汽车有限公司", key: generateKeyPair() };
const PLATE = "粤B88001";
const TERMINAL = "T-E2E-0001";

test.use({ baseURL: EMPTY });

async function postPings(speed: number, from: number, n = 3): Promise<{ accepted: number; alarms: number }> {
  const pings = Array.from({ length: n }, (_, i) => ({ terminal: TERMINAL, ts: from + i * 1000, lon: 114.055 + i * 0.0003, lat: 22.5405, speed, heading: 90 }));
  const body = utf8(JSON.stringify({ pings }));
  const res = await fetch(`${EMPTY}/api/ingest/pings`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-cityledger-company": company.id, "x-cityledger-signature": toHex(nodeSignatures.sign(company.key.secretKey, body)) },
    body: Buffer.from(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { accepted: number; alarms: number };
}

async function register(page: Page, tab: string, fields: Record<string, string>): Promise<void> {
  await page.getByTestId(`registry-tab-${tab}`).click();
  await page.getByTestId("registry-register").click();
  const form = page.getByTestId("registry-form");
  for (const [id, value] of Object.entries(fields)) {
    const input = form.getByTestId(`field-${id}`);
    if ((await input.evaluate((el) => el.tagName)) === "SELECT") await input.selectOption(value);
    else await input.fill(value);
  }
  await form.getByTestId("registry-submit").click();
  await expect(form.getByTestId("registry-done")).toBeVisible();
}

test("onboards a company, vehicle and driver on an empty ledger; its pings, licence revocation and alarm", async ({ page, context }) => {
  test.setTimeout(120_000);
  // Tablet width: the registry is used on a tablet at the counter as much as at a desk.
  await page.setViewportSize({ width: 1024, height: 768 });
  await signIn(page, "admin", ADMIN_PASSWORD);
  // The demo accounts do not exist on this ledger.
  expect((await (await fetch(`${EMPTY}/api/health`)).json()) as object).toBeTruthy();

  await page.goto("/registry");
  await expect(page.getByTestId("registry-table")).toBeVisible();
  await expect(page.getByTestId("registry-companies").getByTestId("registry-table").locator("tbody tr")).toHaveCount(0);

  await register(page, "companies", { id: company.id, name: company.name, kind: "taxi", ingest_key: company.key.publicKey });
  await expect(page.getByTestId(`registry-row-${company.id}`)).toContainText("active");

  await register(page, "vehicles", { plate: PLATE, cls: "taxi", company: company.id, terminal: TERMINAL, licence_no: "粤交运440300880001", licence_expires: "2029-12-31" });
  await expect(page.getByTestId(`registry-row-${PLATE}`)).toContainText(TERMINAL);

  // Drivers by CSV: a preview with one bad row writes nothing and cannot be committed.
  await page.getByTestId("registry-tab-drivers").click();
  await page.getByTestId("registry-import").click();
  const header = "id,name,company,licence_no,licence_expires,vehicles";
  await page.getByTestId("import-text").fill([header, `drv-e2e-1,陈建华,${company.id},网驾440300880001,2030-06-30,${PLATE}`, "drv-e2e-2,林小红,no-such-company,网驾440300880002,,"].join("\n"));
  await page.getByTestId("import-preview").click();
  await expect(page.getByTestId("import-row-2")).toContainText("unknown company no-such-company");
  await expect(page.getByTestId("import-row-1")).toContainText("有效");
  // The preview never echoes the name back in clear.
  await expect(page.getByTestId("import-result")).not.toContainText("陈建华");
  await expect(page.getByTestId("import-commit")).toBeDisabled();
  await page.getByTestId("import-text").fill([header, `drv-e2e-1,陈建华,${company.id},网驾440300880001,2030-06-30,${PLATE}`].join("\n"));
  await page.getByTestId("import-preview").click();
  await expect(page.getByTestId("import-commit")).toBeEnabled();
  await page.getByTestId("import-commit").click();
  await expect(page.getByTestId("import-done")).toContainText("1");
  await expect(page.getByTestId("registry-row-drv-e2e-1")).toContainText(PLATE);
  await page.screenshot({ path: `${SHOTS}/registry-drivers.png` });

  // The big screen: the vehicle is online once the company's signed pings arrive.
  const screen = await context.newPage();
  await screen.setViewportSize({ width: 1920, height: 1080 });
  await screen.goto("/bigscreen");
  await expect(screen.getByTestId("live-status")).toBeVisible();
  const first = await postPings(30, Date.now() - 5000);
  expect(first.accepted).toBe(3);
  expect(first.alarms).toBe(0);
  await expect(screen.getByTestId("kpi-online")).toContainText("1", { timeout: 20_000 });
  await screen.screenshot({ path: `${SHOTS}/onboarding-bigscreen.png` });

  // Revoke the vehicle's licence in the registry; its next moving pings raise the unlicensed alarm.
  await page.getByTestId("registry-tab-vehicles").click();
  await page.getByTestId(`action-licence-${PLATE}`).click();
  await page.getByTestId("action-field-licence_status").selectOption("revoked");
  await page.getByTestId("action-reason").fill("非法营运，吊销道路运输证");
  await page.getByTestId("action-apply").click();
  // The form closes once the transaction is committed (its select lists "revoked" too).
  await expect(page.getByTestId("action-form")).toHaveCount(0);
  await expect(page.getByTestId(`registry-row-${PLATE}`).locator(".badge")).toHaveText("revoked");

  const second = await postPings(35, Date.now() - 1000);
  expect(second.accepted, JSON.stringify(second)).toBe(3);
  expect(second.alarms, JSON.stringify(second)).toBeGreaterThanOrEqual(1);
  const row = screen.getByTestId("alarm-ticker").locator("li", { hasText: PLATE }).first();
  await expect(row).toBeVisible({ timeout: 10_000 });
  await expect(row).toContainText("无证上路");
  await screen.screenshot({ path: `${SHOTS}/onboarding-alarm.png` });

  // The alarm is on the ledger, in the supervision inbox.
  await page.goto("/vehicles");
  await expect(page.getByText(PLATE).first()).toBeVisible();
});

test("an empty ledger has no demo accounts", async ({ page }) => {
  await page.goto("/login");
  await page.locator("#username").fill("tp.operator");
  await page.locator("#password").fill("Demo@2026");
  await page.locator('form button[type="submit"]').click();
  await expect(page.locator("form")).toContainText(/用户名或密码|invalid|错误/i);
});
