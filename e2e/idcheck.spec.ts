/**
 * ID verification on a phone: a hotel registration desk of the Futian police sub-bureau checks a
 * valid card and a stolen one; the stolen card alerts the registry owner's officer, who sees both
 * lookups in the access review and follows the alert up. Screenshots at phone and desktop widths.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import { REGISTRY } from "../chain/contracts/identity";
import { demoRecords } from "../server/sharing/catalogue";
import { signIn } from "./helpers";

const OUT = "test-results/idcheck-shots";
const PHONE = { width: 390, height: 844 };
const people = demoRecords(REGISTRY, 0);
const valid = people.filter((p) => p.attrs.cardStatus === "valid")[3];
const stolen = people.find((p) => p.attrs.cardStatus === "reported_stolen")!;
/** This test's lookups, told apart by their purpose from checks other specs make in the same ledger. */
const PURPOSE_TEXT = "旅馆业入住登记";

async function as(browser: Browser, user: string, viewport = PHONE): Promise<Page> {
  const ctx = await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai", viewport, isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
  const page = await ctx.newPage();
  await signIn(page, user);
  return page;
}

async function noHorizontalOverflow(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
}

test("a desk verifies a valid and a stolen card on a phone; the owner's officer sees both lookups and follows up the alert", async ({ browser }) => {
  test.setTimeout(180_000);
  const desk = await as(browser, "futian.psb.desk");
  await desk.getByRole("link", { name: /身份核验/ }).first().click();
  await expect(desk).toHaveURL(/\/idcheck$/);
  await expect(desk.getByTestId("idcheck-form")).toBeVisible();
  await expect(desk.getByTestId("idcheck-site")).toHaveValue("hotel.futian-cbd");

  // A mistyped number is caught by its check character before anything is sent.
  const wrong = valid.sealed.idNumber.slice(0, 17) + (valid.sealed.idNumber[17] === "1" ? "2" : "1");
  await desk.getByTestId("idcheck-number").fill(wrong);
  await desk.getByTestId("idcheck-name").fill(valid.sealed.name);
  await expect(desk.getByTestId("idcheck-number-problem")).toContainText("校验码错误");
  await expect(desk.getByTestId("idcheck-submit")).toBeDisabled();

  // 1. A valid card.
  await desk.getByTestId("idcheck-number").fill(valid.sealed.idNumber);
  await expect(desk.getByTestId("idcheck-number-problem")).toHaveCount(0);
  await desk.getByTestId("idcheck-submit").click();
  const answer = desk.getByTestId("idcheck-result");
  await expect(answer).toHaveAttribute("data-result", "valid");
  await expect(answer).toContainText("证件有效，人证一致");
  await expect(desk.locator("body")).not.toContainText(valid.sealed.idNumber);
  await noHorizontalOverflow(desk);
  await desk.screenshot({ path: `${OUT}/desk-valid-phone.png`, fullPage: true });

  // 2. A stolen card: the answer says so, and the alert goes to public security.
  await desk.getByTestId("idcheck-next").click();
  await desk.getByTestId("idcheck-number").fill(stolen.sealed.idNumber);
  await desk.getByTestId("idcheck-name").fill(stolen.sealed.name);
  await desk.getByTestId("idcheck-submit").click();
  await expect(answer).toHaveAttribute("data-result", "reported_stolen");
  await expect(answer).toContainText("已推送至公安机关告警");
  await expect(desk.getByTestId("idcheck-mine").locator("li", { hasText: PURPOSE_TEXT })).toHaveCount(2);
  await noHorizontalOverflow(desk);
  await desk.screenshot({ path: `${OUT}/desk-stolen-phone.png`, fullPage: true });

  // 3. The registry owner's officer: the alert on the home inbox and in the review, with both lookups.
  const officer = await as(browser, "psb.supervisor");
  await expect(officer.getByTestId("alerts")).toContainText("身份核验");
  await officer.goto("/idcheck");
  await officer.getByTestId("idcheck-review-link").click();
  await expect(officer).toHaveURL(/\/idcheck\/review$/);
  const alert = officer.getByTestId("idcheck-alerts").locator("li[data-kind='reported_stolen']");
  await expect(alert).toHaveCount(1);
  await expect(alert).toContainText("福田中心区旅馆业登记点");
  const lookups = officer.getByTestId("idcheck-lookups");
  await expect(lookups.locator("tbody tr", { hasText: PURPOSE_TEXT })).toHaveCount(2);
  await expect(lookups).toContainText("罗晓燕");
  await expect(lookups).toContainText("深圳市公安局福田分局");
  await expect(lookups).toContainText("旅馆业入住登记");
  await noHorizontalOverflow(officer);
  await officer.screenshot({ path: `${OUT}/review-phone.png`, fullPage: true });

  // 4. The person's record shows who checked it (the lookup itself is logged with its purpose).
  await officer.getByTestId("person-number").fill(stolen.sealed.idNumber);
  await officer.getByTestId("person-purpose").fill("核查被盗证件使用告警");
  await officer.getByTestId("person-find").click();
  await expect(officer.getByTestId("person-card")).toContainText(stolen.sealed.name);
  await expect(officer.getByTestId("person-checks").locator("li")).toHaveCount(1);
  await expect(officer.getByTestId("person-checks")).toContainText("futian.psb.desk");

  // 5. Follow-up: acknowledge, then confirm with a note; the alert leaves the open list.
  await alert.getByTestId("alert-ack").click();
  await expect(alert).toContainText("已签收");
  await alert.getByTestId("alert-assign").selectOption("psb.operator");
  await expect(alert).toContainText("已指派 · 黄海涛");
  await alert.getByTestId("alert-note").fill("已通知福田分局出警核查");
  await alert.getByTestId("alert-confirm").click();
  await expect(officer.getByTestId("idcheck-alerts").locator("li[data-kind='reported_stolen']")).toHaveCount(0);

  const wide = await as(browser, "psb.supervisor", { width: 1440, height: 900 });
  await wide.goto("/idcheck/review");
  await expect(wide.getByTestId("idcheck-lookups").locator("tbody tr", { hasText: PURPOSE_TEXT })).toHaveCount(2);
  await wide.screenshot({ path: `${OUT}/review-desktop.png`, fullPage: true });

  // A department outside the registry owner cannot open the review.
  const resp = await desk.goto("/idcheck/review");
  expect(resp?.status()).toBe(403);
});
