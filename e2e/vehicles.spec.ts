/**
 * Vehicle supervision end to end: a traffic police supervisor draws a restricted zone on the map,
 * a hazmat truck's terminal reports through the real signed HTTP ingest and crosses it, the alarm
 * arrives in the inbox, an operator acknowledges it, and the whole story is on the ledger.
 */
import { readFileSync } from "node:fs";
import { expect, test, type Locator } from "@playwright/test";
import { toHex, utf8 } from "../chain/bytes";
import { nodeSignatures } from "../chain/node-crypto";
import { FUTIAN_BOUNDS } from "../components/map/bounds";
import { mapDrawn, signIn } from "./helpers";

const keysFile = () => `.data/e2e-${process.env.E2E_RUN_ID}/keys.json`;
/** CityMap's default fit padding (px). */
const FIT_PADDING = 24;

/**
 * Page coordinates of a lon/lat on a CityMap fitted to central Futian: Web Mercator, the bounds'
 * centre in the middle of the container, scaled so the bounds fill it less the padding (what
 * maplibre's fitBounds does). Computed independently of the page, so a mis-projected click shows.
 */
async function mapPixel(map: Locator): Promise<(lon: number, lat: number) => { x: number; y: number }> {
  const box = (await map.boundingBox())!;
  const mx = (lon: number) => (lon + 180) / 360;
  const my = (lat: number) => (1 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / Math.PI) / 2;
  const [[w, s], [e, n]] = FUTIAN_BOUNDS;
  const scale = Math.min((box.width - 2 * FIT_PADDING) / (mx(e) - mx(w)), (box.height - 2 * FIT_PADDING) / (my(s) - my(n)));
  const cx = (mx(w) + mx(e)) / 2;
  const cy = (my(s) + my(n)) / 2;
  return (lon, lat) => ({ x: box.x + box.width / 2 + (mx(lon) - cx) * scale, y: box.y + box.height / 2 + (my(lat) - cy) * scale });
}

/** "HH:MM" in Shenzhen time (UTC+8), `offsetMin` from now. */
const shenzhenTime = (offsetMin: number) => new Date(Date.now() + (8 * 60 + offsetMin) * 60_000).toISOString().slice(11, 16);

test("draw a geofence on the map, drive a hazmat truck through it, work the alarm, find it on the ledger", async ({ page, request, browser }) => {
  // 1. A traffic police supervisor draws a restricted zone for hazmat vehicles on the map.
  await signIn(page, "tp.supervisor");
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto("/vehicles");
  await page.getByTestId("tab-geofences").click();
  const map = page.getByTestId("geofence-map");
  await expect(page.locator('[data-testid="geofence-map"][data-loaded="true"]')).toBeVisible({ timeout: 60_000 });
  await map.scrollIntoViewIfNeeded();
  const px = await mapPixel(map);
  const corners: [number, number][] = [[114.076, 22.546], [114.086, 22.546], [114.086, 22.554], [114.076, 22.554]];
  for (const [lon, lat] of corners.slice(0, 3)) {
    const p = px(lon, lat);
    await page.mouse.click(p.x, p.y);
  }
  await expect(page.getByTestId("draw-points")).toHaveAttribute("data-points", /\[\[.*\],\[.*\],\[.*\]\]/);
  // The last vertex by double-click, which also closes the polygon.
  const last = px(...corners[3]);
  await page.mouse.dblclick(last.x, last.y);
  await expect(page.getByTestId("draw-points")).toHaveAttribute("data-finished", "true");
  const drawn = JSON.parse((await page.getByTestId("draw-points").getAttribute("data-points"))!) as [number, number][];
  expect(drawn).toHaveLength(4);
  drawn.forEach(([lon, lat], i) => {
    expect(Math.abs(lon - corners[i][0])).toBeLessThan(0.0008);
    expect(Math.abs(lat - corners[i][1])).toBeLessThan(0.0008);
  });
  await page.screenshot({ path: "test-results/e2e/screenshots-vehicles/draw-polygon.png" });

  const zone = `e2e-drawn-${Date.now().toString(36)}`;
  await page.getByTestId("fence-name").fill("E2E 夜市禁行区");
  await page.getByTestId("fence-id").fill(zone);
  await page.getByTestId("fence-kind").selectOption("restricted");
  await page.getByTestId("fence-class-hazmat").check();
  await page.getByTestId("fence-speed").fill("30");
  // Active from an hour ago to two hours ahead, Shenzhen time (crosses midnight late in the day).
  await page.getByTestId("fence-scheduled").check();
  await page.getByTestId("fence-start").fill(shenzhenTime(-60));
  await page.getByTestId("fence-end").fill(shenzhenTime(120));
  await page.getByTestId("fence-submit").click();
  await expect(page.getByTestId("fence-defined")).toBeVisible();
  await expect(page.getByTestId("geofence-table")).toContainText("E2E 夜市禁行区");
  await expect(page.getByTestId("geofence-table")).toContainText(zone);

  // A circle with a typed radius is drawn the same way (centre click, edge click, then the radius corrected).
  await page.getByTestId("draw-circle").click();
  // The table above grew: measure the map again.
  await map.scrollIntoViewIfNeeded();
  const c = (await mapPixel(map))(114.05, 22.54);
  await page.mouse.click(c.x, c.y);
  await page.mouse.click(c.x + 40, c.y);
  await expect(page.getByTestId("draw-points")).toHaveAttribute("data-finished", "true");
  const guessed = Number(await page.getByTestId("draw-radius").inputValue());
  expect(guessed).toBeGreaterThan(100); // 40 px at this zoom is a few hundred metres
  expect(guessed).toBeLessThan(1000);
  await page.getByTestId("draw-radius").fill("250");
  await page.getByTestId("fence-name").fill("E2E 学校周边");
  await page.getByTestId("fence-id").fill(`${zone}-school`);
  await page.getByTestId("fence-kind").selectOption("key_area");
  await page.getByTestId("fence-class-hazmat").uncheck();
  await page.getByTestId("fence-scheduled").uncheck();
  await page.getByTestId("fence-submit").click();
  await expect(page.getByTestId("geofence-table")).toContainText("E2E 学校周边");
  const school = await page.evaluate(async (id) => {
    const r = await fetch("/api/trpc/geofences.list");
    return ((await r.json()).result.data.json as { id: string; shape: unknown; speedLimitKmh?: number }[]).find((f) => f.id === id);
  }, `${zone}-school`);
  expect(school?.shape).toEqual({ type: "circle", center: [expect.closeTo(114.05, 3), expect.closeTo(22.54, 3)], radiusM: 250 });

  // 2. A registered hazmat truck crosses it; its company signs the batch, as a real terminal gateway would.
  const keys = (JSON.parse(readFileSync(keysFile(), "utf8")) as { keys: Record<string, string> }).keys;
  const vehicles = await page.evaluate(async () => {
    const r = await fetch("/api/trpc/vehicles.list", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: { cls: "hazmat", limit: 5 } }) });
    return (await r.json()).result.data.json as { plate: string; terminal: string }[];
  });
  const truck = vehicles[0];
  const now = Date.now();
  // Timestamps just ahead of the wall clock: newer than anything a simulator may have sent for this
  // truck (the engine ignores pings older than the last one it evaluated), within the 5-minute skew allowed.
  const pings = Array.from({ length: 12 }, (_, i) => ({ terminal: truck.terminal, ts: now + 1000 + i * 5000, lon: 114.072 + i * 0.0015, lat: 22.55, speed: 35, heading: 90, odometerKm: 990_000 + i * 0.15 })); // above any registered odometer
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
  const history = page.getByTestId("tx-list");
  await expect(history).toContainText("车辆告警"); // alarm.raise
  await expect(history).toContainText("告警处置"); // alarm.act
  await expect(page.locator("body")).toContainText(zone);
  // ...and the drawn geofence, defined by the supervisor.
  await page.goto(`/explorer/record?ns=geofence&key=${zone}`);
  await expect(page.getByTestId("tx-list")).toContainText("设置电子围栏"); // geofence.define
  await expect(page.locator("body")).toContainText("tp.supervisor");

  // 5. Track replay shows the crossing, with every batch matching its anchored root.
  await page.goto(`/vehicles/${encodeURIComponent(truck.plate)}?at=${now + 30_000}`);
  await expect(page.getByTestId("replay-integrity")).toContainText("个定位点");
  const shown = Number((await page.getByTestId("replay-integrity").textContent())!.match(/(\d+) 个定位点/)![1]);
  expect(shown).toBeGreaterThanOrEqual(12); // ours, plus any a simulator sent in the same hour
  await expect(page.getByTestId("replay-integrity")).toContainText("一致");
  // The terminal's odometer reading went on the ledger with the batch.
  await expect(page.getByTestId("vehicle-mileage")).toContainText("次终端读数上链");
  await expect(page.locator('[data-testid="replay-map"][data-loaded="true"]')).toBeVisible({ timeout: 30_000 });
  // The map is drawn, not blank: many distinct colours.
  await mapDrawn(page, "replay-map");
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
