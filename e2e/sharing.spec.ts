/**
 * Sovereign sharing end to end: the Futian traffic police brigade (department A) requests the traffic
 * violation cases of the municipal traffic police (department B); B's admin approves it for Futian
 * rows; A's user reads the data, sealed names decrypted; B revokes; A's user is refused, with the reason.
 * Screenshots of the catalogue, the dataset and the grants matrix at tablet width.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { demoRecords } from "../server/sharing/catalogue";
import { signIn } from "./helpers";

const OUT = "test-results/sharing-shots";

async function as(browser: Browser, user: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const ctx = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai", viewport });
  const page = await ctx.newPage();
  await signIn(page, user);
  return page;
}

async function readData(page: Page, purpose: string) {
  await page.goto("/catalogue/tp.violations");
  await page.getByTestId("read-purpose").fill(purpose);
  await page.getByTestId("read-data").click();
}

test("A requests a dataset, B's admin approves, A reads it; B revokes, A is refused", async ({ browser }) => {
  test.setTimeout(180_000);
  // 0. Without a grant, A's user is refused, and told why.
  const a = await as(browser, "futian.admin");
  await a.goto("/catalogue");
  await expect(a.getByTestId("dataset-tp.violations")).toContainText("交通违法处理记录");
  await expect(a.getByTestId("dataset-tp.violations").getByTestId("access-badge")).toHaveText("无权访问");
  await a.screenshot({ path: `${OUT}/catalogue.png`, fullPage: true });
  await readData(a, "查处套牌车辆专项行动");
  await expect(a.getByTestId("read-error")).toContainText("未获得 tp.violations");

  // 1. A (a department admin of the Futian brigade) requests name and case fields, Futian rows only.
  await a.getByTestId("req-field-partyIdNumber").uncheck();
  await a.getByTestId("req-field-partyPhone").uncheck();
  await a.getByTestId("req-purpose").fill("查处套牌车辆专项行动");
  await a.getByTestId("req-days").fill("14");
  await a.getByTestId("req-district").selectOption("sz.futian");
  await a.getByTestId("req-submit").click();
  await expect(a.getByTestId("req-done")).toBeVisible();
  const reqId = /\((req-[0-9a-f]+)\)/.exec((await a.getByTestId("req-done").textContent()) ?? "")![1];
  await expect(a.getByTestId(`history-${reqId}`)).toContainText("待审批");
  await a.goto("/catalogue");
  await expect(a.getByTestId("my-requests")).toContainText(reqId);
  await expect(a.getByTestId("my-requests")).toContainText("待审批");

  // 2. B's admin (municipal traffic police) approves it.
  const b = await as(browser, "tp.admin");
  await b.goto("/admin/sharing");
  const card = b.getByTestId(`request-${reqId}`);
  await expect(card).toContainText("sz.futian.tp");
  await expect(card).toContainText("查处套牌车辆专项行动");
  await card.getByTestId("approve").click();
  await expect(card).toHaveCount(0);

  // The grants matrix shows it, readable at tablet width.
  const tablet = await as(browser, "tp.admin", { width: 768, height: 1024 });
  await tablet.goto("/admin/sharing?tab=matrix");
  await expect(tablet.getByTestId("matrix-sz.futian.tp").getByTestId("cell-grant-tp.violations")).toBeVisible();
  const box = await tablet.getByTestId("grants-matrix").boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  await tablet.screenshot({ path: `${OUT}/grants-matrix-tablet.png`, fullPage: true });

  // 3. A's user now sees the data: granted fields, Futian rows, sealed names decrypted; the read is logged.
  await readData(a, "查处套牌车辆专项行动");
  const table = a.getByTestId("data-table");
  await expect(table).toBeVisible();
  const futian = demoRecords("tp.violations", 0).filter((r) => r.attrs.district === "sz.futian");
  await expect(table.locator("tbody tr")).toHaveCount(futian.length);
  await expect(table).toContainText(futian[0].sealed.partyName);
  await expect(table).not.toContainText(futian[0].sealed.partyIdNumber);
  await expect(table.locator("thead")).toContainText("当事人");
  await expect(table.locator("thead")).not.toContainText("身份证号");
  await expect(a.getByTestId("read-audited")).toBeVisible();
  await a.screenshot({ path: `${OUT}/dataset-granted.png`, fullPage: true });

  // B, the owner, sees its dataset with the direct-share form and the request history.
  await b.goto("/catalogue/tp.violations");
  await expect(b.getByTestId("grant-form")).toBeVisible();
  await expect(b.getByTestId(`history-${reqId}`)).toContainText("生效中");
  await b.screenshot({ path: `${OUT}/dataset-owner.png`, fullPage: true });

  // B sees the read in its audit.
  await b.goto("/admin/sharing?tab=audit");
  await expect(b.getByTestId("read-audit")).toContainText("futian.admin");
  await expect(b.getByTestId("read-audit")).toContainText("查处套牌车辆专项行动");

  // 4. B revokes; A's user is refused at once, with the reason.
  await b.goto("/admin/sharing?tab=grants");
  const row = b.getByTestId(`grant-${reqId}`);
  await row.getByTestId("revoke-reason").fill("专项行动结束");
  await row.getByTestId("revoke").click();
  await expect(row).toHaveCount(0);
  await readData(a, "查处套牌车辆专项行动");
  await expect(a.getByTestId("read-error")).toContainText("撤销");
  await expect(a.getByTestId("read-error")).toContainText("专项行动结束");
  await expect(a.getByTestId("data-table")).toHaveCount(0);
  await a.reload();
  await expect(a.getByTestId(`history-${reqId}`)).toContainText("已撤销");
  await expect(a.getByTestId("key-versions")).toContainText(`revoke ${reqId}`);
  await a.goto("/catalogue");
  await expect(a.getByTestId("my-requests")).toContainText("已撤销");
  await a.screenshot({ path: `${OUT}/catalogue-after.png`, fullPage: true });
});
