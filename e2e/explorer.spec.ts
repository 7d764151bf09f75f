/**
 * The explorer under the sharing policy: an ID check's transaction shows a traffic officer only
 * withheld chips (with the reason) and no receipt; the registry owner's supervisor sees the check's
 * plain fields, reveals the sensitive ones with a stated purpose, and gets the data.read that logged it.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { REGISTRY } from "../chain/contracts/identity";
import { demoRecords } from "../server/sharing/catalogue";
import { signIn } from "./helpers";

const person = demoRecords(REGISTRY, 0).filter((p) => p.attrs.cardStatus === "valid")[5];

async function as(browser: Browser, user: string): Promise<Page> {
  const ctx = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai", viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await signIn(page, user);
  return page;
}

test("an ID check in the explorer: withheld for a traffic officer, revealed and logged for the registry owner", async ({ browser }) => {
  test.setTimeout(120_000);
  const desk = await as(browser, "futian.psb.desk");
  const check = await desk.evaluate(async (p) => {
    const r = await fetch("/api/trpc/identity.verify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { idNumber: p.idNumber, name: p.name, purpose: "旅客入住登记 hotel check-in", site: "hotel.futian-cbd" } }),
    });
    return (await r.json()).result.data.json as { check: string; hash: string };
  }, { idNumber: String(person.sealed.idNumber), name: String(person.sealed.name) });
  expect(check.hash).toMatch(/^[0-9a-f]{64}$/);

  const tp = await as(browser, "tp.operator");
  await tp.goto(`/explorer/tx/${check.hash}`);
  const payload = tp.getByTestId("tx-payload");
  await expect(payload.getByTestId("withheld").first()).toBeVisible();
  await expect(payload).toContainText("已隐去");
  await expect(payload).toContainText("no grant on identity.verifications");
  await expect(tp.getByTestId("tx-purpose").getByTestId("withheld")).toBeVisible();
  await expect(tp.getByTestId("receipt-restricted")).toContainText("identity.verifications");
  await expect(tp.getByTestId("reveal-form")).toHaveCount(0);
  expect(await tp.locator("body").innerText()).not.toContain(person.key);
  await tp.screenshot({ path: "test-results/explorer-withheld.png" });

  const psb = await as(browser, "psb.supervisor");
  await psb.goto(`/explorer/record?ns=idcheck&key=${check.check}`);
  const current = psb.getByTestId("record-current");
  await expect(current).toContainText("sz.futian.psb");
  await expect(current.getByTestId("withheld").first()).toBeVisible();
  expect(await current.innerText()).not.toContain(person.key);
  await psb.getByTestId("reveal-purpose").fill("核查入住登记 review a hotel check");
  await psb.getByTestId("reveal").click();
  await expect(psb.getByTestId("revealed")).toBeVisible();
  await expect(current).toContainText(person.key);
  await psb.screenshot({ path: "test-results/explorer-revealed.png" });
  // The reveal's access log is itself a transaction, one click away.
  await psb.getByTestId("revealed").locator("a").first().click();
  await expect(psb.getByTestId("tx-type")).toContainText("data.read");
});
