/**
 * Emergency dispatch end to end: a hazmat truck's terminal reports from inside the CBD ban zone and
 * raises an alarm; the emergency dispatcher escalates it into an incident, picks the recommended
 * ambulance (ETA by road) and dispatches it; the crew, on a phone, accepts and reports en route and
 * on scene along the navigation line; the SLA timers stop, the timeline is on the ledger, and the
 * big screen counts the open incident. Then a call taken on the console by typed landmark.
 */
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { toHex, utf8 } from "../chain/bytes";
import { nodeSignatures } from "../chain/node-crypto";
import { mapDrawn, signIn } from "./helpers";

const keysFile = () => `.data/e2e-${process.env.E2E_RUN_ID}/keys.json`;
const SHOTS = "test-results/dispatch/screenshots";
/** Who reports for a unit of each department: the demo crew member, else the station's supervisor. */
const CREW: Record<string, string> = {
  "sz.futian.health": "futian.crew",
  "sz.health": "health.supervisor",
  "sz.nanshan.health": "nanshan.health.supervisor",
  "sz.futian.fire": "futian.fire.supervisor",
  "sz.nanshan.fire": "nanshan.fire.supervisor",
  "sz.fire": "fire.supervisor",
  "sz.futian.tp": "futian.tp.supervisor",
  "sz.luohu.tp": "luohu.tp.supervisor",
  "sz.futian.psb": "futian.psb.supervisor",
  "sz.env": "env.supervisor",
};

async function trpcQuery<T>(page: Page, path: string, input?: unknown): Promise<T> {
  return page.evaluate(
    async ([p, i]) => {
      // Queries with inputs travel as POST (the server refuses text inputs in a URL).
      const r = i === undefined ? await fetch(`/api/trpc/${p}`) : await fetch(`/api/trpc/${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: i }) });
      return (await r.json()).result.data.json;
    },
    [path, input] as const,
  ) as Promise<T>;
}

test("an alarm becomes an incident; the recommended ambulance is dispatched; the crew reports from the phone; timers, timeline and big screen follow", async ({ page, request, browser }) => {
  test.setTimeout(240_000);
  // 1. A hazmat truck reports from inside the CBD ban zone through the signed ingest: an alarm with a position.
  await signIn(page, "em.dispatcher");
  const keys = (JSON.parse(readFileSync(keysFile(), "utf8")) as { keys: Record<string, string> }).keys;
  const trucks = await page.evaluate(async () => {
    const r = await fetch("/api/trpc/vehicles.list", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ json: { cls: "hazmat", limit: 20 } }) });
    return (await r.json()).result.data.json as { plate: string; terminal: string }[];
  });
  const truck = trucks[trucks.length - 1];
  const now = Date.now();
  const pings = Array.from({ length: 8 }, (_, i) => ({ terminal: truck.terminal, ts: now + 1000 + i * 5000, lon: 114.0575 + i * 0.0003, lat: 22.5372, speed: 20, heading: 90 }));
  const body = utf8(JSON.stringify({ pings }));
  const res = await request.post("/api/ingest/pings", {
    headers: { "content-type": "application/json", "x-cityledger-company": "sz-hazmat", "x-cityledger-signature": toHex(nodeSignatures.sign(keys["company:sz-hazmat"], body)) },
    data: Buffer.from(body),
  });
  expect(res.status()).toBe(200);
  expect((await res.json()).alarms).toBeGreaterThan(0);

  // 2. The dispatcher escalates it as a traffic accident and asks for the nearest ambulance.
  await page.goto("/dispatch");
  await expect(page.getByTestId("dispatch-console")).toBeVisible();
  const alarmRow = page.locator('[data-testid^="escalatable-"]', { hasText: truck.plate }).first();
  await expect(alarmRow).toBeVisible({ timeout: 20_000 });
  await page.getByTestId("escalate-type").selectOption("traffic_accident");
  await alarmRow.getByTestId("escalate").click();
  const panel = page.getByTestId("incident-panel");
  await expect(panel).toBeVisible();
  await expect(panel).toContainText("交通事故");
  await expect(panel).toContainText(truck.plate);
  await expect(page.getByTestId("timer-dispatch")).toHaveAttribute("data-state", "running");
  const incidentId = (await panel.getAttribute("data-incident"))!;
  expect(incidentId).toMatch(/^inc-\d{8}-[0-9a-f]{8}$/);
  // Police cars first (the type's primary need), then ambulances on request; each with a road ETA.
  await expect(page.getByTestId("recommendations").locator("tbody tr").first()).toContainText("警");
  await page.getByTestId("recommend-capability").selectOption("medical");
  const first = page.locator('[data-testid="recommendations"] tbody tr[data-rank="1"]');
  await expect(first).toContainText("救护车");
  await expect(first.getByTestId("rec-eta")).toHaveText(/^\d+:\d\d$/);
  const etas = await page.locator('[data-testid="recommendations"] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-eta"))));
  expect(etas.length).toBeGreaterThan(1);
  expect(etas).toEqual([...etas].sort((a, b) => a - b));
  const unitId = (await first.getAttribute("data-testid"))!.replace(/^rec-/, "");
  await page.screenshot({ path: `${SHOTS}/console-recommend.png`, fullPage: true });
  await first.getByTestId("rec-dispatch").click();
  await expect(page.getByTestId(`assigned-${unitId}`)).toHaveAttribute("data-status", "dispatched");
  await expect(page.getByTestId("timer-dispatch")).toHaveAttribute("data-state", "done");
  await expect(page.getByTestId("timer-enRoute")).toHaveAttribute("data-state", "running");
  // Dispatched: it is no longer offered.
  await expect(page.getByTestId(`rec-${unitId}`)).toHaveCount(0);

  // 3. The crew on a phone: the task, the navigation line, accept (en route), on scene.
  const units = await trpcQuery<{ id: string; dept: string; name: string }[]>(page, "dispatch.units");
  const unit = units.find((u) => u.id === unitId)!;
  const phoneCtx = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai", viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const phone = await phoneCtx.newPage();
  await signIn(phone, CREW[unit.dept]);
  await phone.goto("/dispatch/unit");
  await phone.getByTestId("unit-select").selectOption(unitId);
  await expect(phone.getByTestId("unit-card")).toHaveAttribute("data-status", "dispatched");
  await expect(phone.getByTestId("unit-task")).toContainText("交通事故");
  await expect(phone.getByTestId("unit-route")).toContainText(/km/);
  await expect(phone.locator('[data-testid="unit-map"][data-loaded="true"]')).toBeVisible({ timeout: 60_000 });
  await mapDrawn(phone, "unit-map");
  await phone.screenshot({ path: `${SHOTS}/unit-phone-dispatched.png`, fullPage: true });
  // Only the moves the ledger allows are offered: no "on scene" before "en route".
  await expect(phone.getByTestId("unit-action-on_scene")).toHaveCount(0);
  await phone.getByTestId("unit-action-en_route").click();
  await expect(phone.getByTestId("unit-card")).toHaveAttribute("data-status", "en_route");
  await phone.getByTestId("unit-action-on_scene").click();
  await expect(phone.getByTestId("unit-card")).toHaveAttribute("data-status", "on_scene");
  await expect(phone.getByTestId("unit-action-transporting")).toBeVisible();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  await phone.screenshot({ path: `${SHOTS}/unit-phone-on-scene.png`, fullPage: true });

  // 4. The dispatcher's screen follows: timers stopped, the unit on scene, the whole timeline on the ledger.
  await expect(page.getByTestId(`assigned-${unitId}`)).toHaveAttribute("data-status", "on_scene", { timeout: 10_000 });
  await expect(page.getByTestId("incident-status")).toHaveText("现场处置");
  for (const k of ["dispatch", "enRoute", "onScene"]) await expect(page.getByTestId(`timer-${k}`)).toHaveAttribute("data-state", "done");
  const timeline = page.getByTestId("timeline").locator("li");
  await expect(timeline).toHaveCount(4);
  expect(await timeline.evaluateAll((li) => li.map((x) => x.getAttribute("data-action")))).toEqual(["escalate", "dispatch", "status", "status"]);
  const detail = await trpcQuery<{ ledger: { type: string; actor: string }[]; timeline: { seq: number }[] }>(page, "dispatch.incident", { id: incidentId });
  expect(detail.ledger.map((t) => t.type)).toEqual(["incident.escalate", "incident.dispatch", "unit.status", "unit.status"]);
  expect(detail.ledger.map((t) => t.actor)).toEqual(["em.dispatcher", "em.dispatcher", CREW[unit.dept], CREW[unit.dept]]);
  // The alarm knows its incident.
  const alarms = await trpcQuery<{ subject: string; status: string; incident?: string }[]>(page, "alarms.list", { status: "escalated", limit: 50 });
  expect(alarms.some((a) => a.incident === incidentId && a.subject === truck.plate)).toBe(true);
  await page.screenshot({ path: `${SHOTS}/console-on-scene.png`, fullPage: true });
  // The ledger explorer shows the status transaction.
  await timeline.last().getByRole("link").click();
  await expect(page.locator("body")).toContainText("unit.status");

  // 5. The big screen's dispatch panel counts the open incident.
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto("/bigscreen?layout=1080");
  await expect(page.getByTestId("dispatch-open").locator("b")).toHaveText(/^[1-9]\d*$/, { timeout: 90_000 });
  await expect(page.getByTestId("panel-dispatch").locator(`[data-incident="${incidentId}"]`)).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/bigscreen-dispatch.png` });
});

test("a call taken by typed landmark: location, recommendation with ETA, dispatch; refused to departments outside dispatch", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, "em.dispatcher");
  await page.goto("/dispatch");
  // A location picked on the map...
  await expect(page.locator('[data-testid="dispatch-map"][data-loaded="true"]')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("intake-position")).toContainText("未选择");
  await page.getByTestId("dispatch-map").click({ position: { x: 200, y: 200 } });
  await expect(page.getByTestId("intake-position")).toContainText(/114\.\d{5}, 22\.\d{5}/);
  // ...or typed as a landmark.
  await page.getByTestId("intake-address").fill("市民中心");
  await expect(page.getByTestId("intake-position")).toContainText("114.05960, 22.54270");
  await page.getByTestId("intake-type").selectOption("fire");
  await page.getByTestId("intake-notes").fill("B 区地下车库冒烟");
  await page.getByTestId("intake-caller").fill("李女士 13800138000");
  await page.getByTestId("intake-submit").click();
  const panel = page.getByTestId("incident-panel");
  await expect(panel).toContainText("火灾");
  await expect(panel).toContainText("B 区地下车库冒烟");
  // The caller (sensitivity 4, sealed on the ledger) is above the dispatcher's clearance: withheld, with the reason.
  await expect(page.getByTestId("incident-caller-withheld")).toContainText("密级不足");
  await expect(panel).not.toContainText("13800138000");
  const first = page.locator('[data-testid="recommendations"] tbody tr[data-rank="1"]');
  await expect(first).toContainText("消防");
  await expect(first.getByTestId("rec-eta")).toHaveText(/^\d+:\d\d$/);
  const unitId = (await first.getAttribute("data-testid"))!.replace(/^rec-/, "");
  await first.getByTestId("rec-dispatch").click();
  await expect(page.getByTestId(`assigned-${unitId}`)).toHaveAttribute("data-status", "dispatched");
  // Support from the health bureau goes on the timeline.
  await page.getByTestId("action-support").click();
  await page.getByTestId("action-bureau").selectOption("health");
  await page.getByTestId("action-note").fill("可能有人员吸入烟雾");
  await page.getByTestId("action-submit").click();
  await expect(page.getByTestId("timeline").locator('li[data-action="support_request"]')).toContainText("卫生健康");
  // Closing with a unit still committed is refused with the ledger's reason.
  await page.getByTestId("action-close").click();
  await page.getByTestId("action-note").fill("已扑灭");
  await page.getByTestId("action-submit").click();
  await expect(page.getByTestId("dispatch-error")).toContainText(`units still committed to`);
  await expect(page.locator('[data-testid="dispatch-map"][data-loaded="true"]')).toBeVisible({ timeout: 60_000 });
  await mapDrawn(page, "dispatch-map");
  await page.screenshot({ path: `${SHOTS}/console-fire.png`, fullPage: true });

  // The portal's global search finds the incident and opens it on the console.
  const incidentId = (await panel.getAttribute("data-incident"))!;
  await page.goto("/");
  await page.getByTestId("global-search").locator("input").fill("地下车库");
  await page.getByTestId("global-search").getByRole("link", { name: new RegExp(incidentId) }).click();
  await expect(page.getByTestId("incident-panel")).toHaveAttribute("data-incident", incidentId);

  // In English on request.
  await page.getByTestId("locale-switch").click();
  await expect(page.getByRole("heading", { name: "Emergency dispatch" })).toBeVisible();
  await expect(page.getByTestId("intake-submit")).toHaveText("Open incident");
  await page.getByTestId("locale-switch").click();
  await expect(page.getByRole("heading", { name: "应急调度" })).toBeVisible();

  const other = await (await browser.newContext()).newPage();
  await signIn(other, "tr.operator");
  expect((await other.goto("/dispatch"))?.status()).toBe(403);

  // The city's admin (hierarchy, clearance 4) sees the caller: a read logged on the ledger.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, "admin");
  await admin.goto(`/dispatch?incident=${incidentId}`);
  await expect(admin.getByTestId("incident-panel")).toHaveAttribute("data-incident", incidentId);
  // Polled views never open it: the admin asks once, and that one read is logged.
  await expect(admin.getByTestId("incident-panel")).not.toContainText("13800138000");
  await admin.getByTestId("incident-caller-reveal").click();
  await expect(admin.getByTestId("incident-caller")).toContainText("李女士 13800138000");
});

test("a supervisor tightens the SLA rule; a call left undispatched turns red on the console and the big screen", async ({ page }) => {
  test.setTimeout(240_000);
  await signIn(page, "em.supervisor");
  await page.goto("/dispatch");
  const input = page.getByTestId("sla-medical-dispatchS");
  await expect(input).toHaveValue("90");
  await input.fill("10");
  await page.getByTestId("sla-save").click();
  await expect(page.getByTestId("sla-panel")).toContainText("v2 · em.supervisor");

  await page.getByTestId("intake-address").fill("会展中心");
  await page.getByTestId("intake-type").selectOption("medical");
  await page.getByTestId("intake-submit").click();
  const panel = page.getByTestId("incident-panel");
  await expect(panel).toContainText("会展中心");
  const id = (await panel.getAttribute("data-incident"))!;
  await expect(page.getByTestId("timer-dispatch")).toContainText("目标 0:10");
  await expect(page.getByTestId("timer-dispatch")).toHaveAttribute("data-overdue", "false");
  await expect(page.getByTestId("timer-dispatch")).toHaveAttribute("data-overdue", "true", { timeout: 20_000 });
  const colour = (id: string) => page.getByTestId(id).evaluate((el) => `${getComputedStyle(el).color} ${getComputedStyle(el).backgroundColor}`);
  expect(await colour("timer-dispatch")).not.toBe(await colour("timer-enRoute"));
  await expect(page.getByTestId(`incident-${id}`)).toHaveAttribute("data-overdue", "true", { timeout: 10_000 });
  await expect(page.getByTestId(`incident-${id}`)).toContainText("超时");
  await page.screenshot({ path: `${SHOTS}/console-overdue.png`, fullPage: true });

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto("/bigscreen?layout=1080");
  await expect(page.getByTestId("dispatch-overdue").locator("b")).toHaveText(/^[1-9]\d*$/, { timeout: 90_000 });
  await expect(page.getByTestId("panel-dispatch").locator(`[data-incident="${id}"]`)).toHaveAttribute("data-overdue", "true");
  await page.screenshot({ path: `${SHOTS}/bigscreen-overdue.png` });

  // Back to the default target for whoever comes next.
  await page.goto("/dispatch");
  await page.getByTestId("sla-medical-dispatchS").fill("90");
  await page.getByTestId("sla-save").click();
  await expect(page.getByTestId("sla-medical-dispatchS")).toHaveValue("90");
});
