/**
 * identity.verify: ID checks end to end through tRPC on PostgreSQL — grant check, rate limit,
 * blind-index lookup, the identity.verify transaction (the contract decides the answer, logs the
 * lookup and tracks duplicate use) — from several desks at once, as a busy morning of hotel check-ins.
 */
import { REGISTRY } from "../chain/contracts/identity.js";
import { createHarness } from "../server/testing/harness";
import { demoRecords } from "../server/sharing/catalogue";
import { submitAsSystem } from "../server/sharing/keys";
import { openTestDb } from "../test/helpers/db.js";
import { percentile } from "./ledger.js";

export async function benchIdentity(opts: { checks?: number; desks?: number } = {}): Promise<void> {
  const CHECKS = opts.checks ?? 3000;
  const DESKS = opts.desks ?? 50;
  const t = await openTestDb("postgres");
  const h = await createHarness(t.db);
  const L = h.services.ledger;
  // The bench measures throughput, not the per-desk limit: lift it for the run.
  await submitAsSystem(L, "rule.set", { name: "identity.rateLimit", value: { perMinute: 1_000_000, perDay: 1_000_000 } }, "bench");
  const people = demoRecords(REGISTRY, 0);
  const desks = await Promise.all(Array.from({ length: DESKS }, () => h.as(["futian.psb.desk", "futian.health.desk", "tr.operator"][Math.floor(Math.random() * 3)])));
  const sites = ["hotel.futian-cbd", "hospital.pku-sz", "hub.futian-station"];
  const lat: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    desks.map(async (desk, d) => {
      while (next < CHECKS) {
        const i = next++;
        const p = people[i % people.length];
        const t0 = performance.now();
        await desk.identity.verify({ idNumber: p.sealed.idNumber, name: p.sealed.name, purpose: "旅馆业入住登记 hotel check-in", site: sites[d % sites.length] });
        lat.push(performance.now() - t0);
      }
    }),
  );
  const secs = (performance.now() - started) / 1000;
  lat.sort((a, b) => a - b);
  console.log(JSON.stringify({ bench: "identity.verify", checks_per_s: Math.round(CHECKS / secs), p50_ms: Math.round(percentile(lat, 50) * 10) / 10, p99_ms: Math.round(percentile(lat, 99) * 10) / 10, checks: CHECKS, desks: DESKS }));
  await L.node.close();
  await t.dispose();
}
