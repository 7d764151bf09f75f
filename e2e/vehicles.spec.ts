/**
 * Vehicle supervision end to end: a traffic police supervisor imports a restricted zone, a hazmat
 * truck's terminal reports through the real signed HTTP ingest and crosses it, the alarm arrives in
 * the inbox, an operator acknowledges it, and the whole story is on the ledger.
 */
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { toHex, utf8 } from "../chain/bytes";
import { nodeSignatures } from "../chain/node-crypto";
import { signIn } from "./helpers";

const ZONE = "e2e-night-market";
const keysFile = () => `.data/e2e-${process.env.E2E_RUN_ID}/keys.json`;

test("import a geofence, drive a hazmat truck through it, work the alarm, find it on the ledger", async ({ page, request, browser }) => {
  // 1. A traffic police supervisor imports a restricted zone for hazmat vehicles.
  await signIn(page, "tp.supervisor");
  await page.goto("/vehicles");
  await page.getByTestId("tab-geofences").click();
  const ring = [[114.078, 22.548], [114.084, 22.548], [114.084, 22.552], [114.078, 22.552], [114.078, 22.548]];
  const geojson = { type: "FeatureCollection", features: [{ type: "Feature", properties: { id: ZONE, name: "E2E 夜市禁行区", kind: "restricted", classes: ["hazmat"] }, geometry: { type: "Polygon", coordinates: [ring] } }] };
  await page.locator("textarea").fill(JSON.stringify(geojson));
  await page.getByRole("button", { name: /导入 GeoJSON/ }).click();
  await expect(page.getByText("已导入并上链")).toBeVisible();
  await expect(page.getByTestId("geofence-table")).toContainText("E2E 夜市禁行区");

  // 2. A registered hazmat truck crosses it; its company signs the batch, as a real terminal gateway would.
  const keys = (JSON.parse(readFileSync(keysFile(), "utf8")) as { keys: Record<string, string> }).keys;
  const vehicles = await page.evaluate(async () => {
    const r = await fetch("/api/trpc/vehicles.list?input=" + encodeURIComponent(JSON.stringify({ json: { cls: "hazmat", limit: 5 } })));
    return (await r.json()).result.data.json as { plate: string; terminal: string }[];
  });
  const truck = vehicles[0];
  const now = Date.now();
  // Timestamps just ahead of the wall clock: newer than anything a simulator may have sent for this
  // truck (the engine ignores pings older than the last one it evaluated), within the 5-minute skew allowed.
  const pings = Array.from({ length: 12 }, (_, i) => ({ terminal: truck.terminal, ts: now + 1000 + i * 5000, lon: 114.072 + i * 0.0015, lat: 22.55, speed: 35, heading: 90 }));
  const body = utf8(JSON.stringify({ pings }));
  const res = await request.post("/api/ingest/pings", {
    headers: { "content-type": "application/json", "x-cityledger-company": "sz-hazmat", "x-cityledger-signature": toHex(nodeSignatures.sign(keys["company:sz-hazmat"], body)) },
    data: Buffer.from(body),
  });
  expect(res.status()).toBe(200);
  const result = await res.json();
  expect(result).toMatchObject({ accepted: 12, rejected: [] });
  expect(result.alarms).toBeGreaterThan(0);
  // A forged batch is refused with a clear status.
  const forged = await request.post("/api/ingest/pings", { headers: { "x-cityledger-company": "sz-hazmat", "x-cityledger-signature": "0".repeat(128) }, data: Buffer.from(body) });
  expect(forged.status()).toBe(401);

  // 3. The alarm arrives in the inbox (auto-refresh), and a traffic police operator acknowledges it.
  page = await (await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai" })).newPage();
  await signIn(page, "tp.operator");
  await page.goto("/vehicles");
  const row = page.locator(`[data-alarm-type="restricted"]`, { hasText: truck.plate }).first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  await row.getByTestId("alarm-ack").click();
  await expect(row).toContainText("已确认");

  // 4. Its history on the ledger: raised by the engine, acknowledged by the operator.
  await row.getByRole("link", { name: /上链记录/ }).click();
  await expect(page.locator("body")).toContainText("alarm.raise");
  await expect(page.locator("body")).toContainText("alarm.act");

  // 5. Track replay shows the crossing, with every batch matching its anchored root.
  await page.goto(`/vehicles/${encodeURIComponent(truck.plate)}?at=${now + 30_000}`);
  await expect(page.getByTestId("replay-integrity")).toContainText("个定位点");
  const shown = Number((await page.getByTestId("replay-integrity").textContent())!.match(/(\d+) 个定位点/)![1]);
  expect(shown).toBeGreaterThanOrEqual(12); // ours, plus any a simulator sent in the same hour
  await expect(page.getByTestId("replay-integrity")).toContainText("一致");
  await expect(page.locator('[data-testid="replay-map"][data-loaded="true"]')).toBeVisible({ timeout: 30_000 });
  await page.waitForTimeout(1500); // software WebGL: let deck.gl draw the track
  // The map is drawn, not blank: the canvas has many distinct colours.
  const colours = await page.locator('[data-testid="replay-map"] canvas').first().evaluate((c: HTMLCanvasElement) => {
    const probe = document.createElement("canvas");
    probe.width = 64;
    probe.height = 64;
    const ctx = probe.getContext("2d")!;
    ctx.drawImage(c, 0, 0, 64, 64);
    const d = ctx.getImageData(0, 0, 64, 64).data;
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
  expect(colours).toBeGreaterThan(20);
  await page.screenshot({ path: "test-results/e2e/screenshots-vehicles/replay-desktop.png", fullPage: true });
});

test("the vehicle pages work at phone and tablet widths, and are refused to departments outside supervision", async ({ page, browser }) => {
  await signIn(page, "tp.operator");
  for (const [w, h] of [[375, 812], [820, 1180]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.goto("/vehicles");
    await expect(page.getByTestId("alarm-table")).toBeVisible();
    await page.screenshot({ path: `test-results/e2e/screenshots-vehicles/inbox-${w}.png`, fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
  }
  const other = await (await browser.newContext()).newPage();
  await signIn(other, "psb.operator");
  const res = await other.goto("/vehicles");
  expect(res?.status()).toBe(403);
});
