#!/usr/bin/env node
// `npm test`: unit + integration (vitest, PGlite and PostgreSQL), then Playwright e2e against a
// production build. Ends with one line of totals across all suites: "N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const out = ".data/test-results";
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

function run(cmd, args, env = {}) {
  console.log(`\n$ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  return r.status ?? 1;
}

// 1. vitest
const vitestJson = join(out, "vitest.json");
run("node_modules/.bin/vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, "utf8"));
  totals.passed += v.numPassedTests;
  totals.failed += v.numFailedTests;
  totals.skipped += v.numPendingTests + (v.numTodoTests ?? 0);
  // A file that fails to load has no tests but is a failure all the same.
  const suiteErrors = (v.testResults ?? []).filter((f) => f.status === "failed" && (f.assertionResults ?? []).length === 0).length;
  totals.failed += suiteErrors;
} else {
  console.error("vitest produced no results");
  broken = true;
}

// 2. Playwright e2e against a production build
const hasE2e = existsSync("e2e") && readdirSync("e2e").some((f) => f.endsWith(".spec.ts"));
if (hasE2e && process.env.SKIP_E2E !== "1") {
  if (run("node_modules/.bin/next", ["build"]) !== 0) {
    console.error("next build failed: e2e not run");
    broken = true;
  } else {
    const pwJson = join(out, "playwright.json");
    run("node_modules/.bin/playwright", ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_FILE: pwJson });
    if (existsSync(pwJson)) {
      const s = JSON.parse(readFileSync(pwJson, "utf8")).stats ?? {};
      totals.passed += (s.expected ?? 0) + (s.flaky ?? 0);
      totals.failed += s.unexpected ?? 0;
      totals.skipped += s.skipped ?? 0;
      for (const e of JSON.parse(readFileSync(pwJson, "utf8")).errors ?? []) {
        console.error(`playwright error: ${e.message ?? e}`);
        totals.failed += 1;
      }
    } else {
      console.error("playwright produced no results");
      broken = true;
    }
  }
}

if (broken) totals.failed += 1;
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
