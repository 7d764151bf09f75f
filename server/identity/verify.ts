/**
 * One ID check as a verifier makes it: the department's basis (owner, or a live `verify` grant), the
 * verifier's rate limit, the blind-index lookup done by the owner's node, the optional document
 * photo stored off chain, and the `identity.verify` transaction whose contract decides the answer.
 * The verifier gets the answer only — never a field of the registry.
 */
import { randomBytes } from "node:crypto";
import { REGISTRY, type DuplicateUse, type IdCheck, type CheckResult } from "../../chain/contracts/identity";
import { siteById } from "../../lib/identity-sites";
import { FailureLimiter } from "../auth/rate-limit";
import type { PortalLedger } from "../ledger/portal-ledger";
import { AccessDeniedError, RateLimitedError } from "../errors";
import { grantsOf } from "../sharing/policy";
import { deletePhoto, storePhoto, type PhotoInput } from "./photos";
import { indexesOf, indexKey, recordKeyOf, registryEntry } from "./registry";

export interface Verifier {
  id: string;
  dept: string;
  role: string;
}

export interface VerifyInput {
  idNumber: string;
  name: string;
  purpose: string;
  site: string;
  photo?: PhotoInput;
}

export interface VerifyOutcome {
  check: string;
  result: CheckResult;
  duplicate: DuplicateUse | null;
  alert: string | null;
  photo: string | null;
  time: number;
  seq: number;
  hash: string;
  height: number;
}

/** Smart-law rule `identity.rateLimit`, set by the registry owner. */
export interface RateRule {
  perMinute: number;
  perDay: number;
}
export const DEFAULT_RATE: RateRule = { perMinute: 20, perDay: 600 };

const tooManyChecks = (retryAfterS: number, limit: string) =>
  new RateLimitedError(retryAfterS, `核验过于频繁（上限 ${limit}），请 ${retryAfterS} 秒后再试 too many checks (limit ${limit}); retry in ${retryAfterS} s`);

/**
 * What every check needs but rarely changes — the rate rule and each department's basis — kept per
 * ledger and dropped when a committed block writes what it was read from (measured: the repeated
 * single-record reads were most of a check's cost). The contract re-checks the grant regardless.
 */
interface CheckView {
  rate?: RateRule;
  basis: Map<string, { at: number; grant?: string }>;
}
const BASIS_TTL_MS = 60_000;
const views = new WeakMap<PortalLedger, CheckView>();
function viewOf(ledger: PortalLedger): CheckView {
  let v = views.get(ledger);
  if (!v) {
    const view: CheckView = { basis: new Map() };
    ledger.node.onBlock((b) => {
      for (const w of b.writes) {
        if (w.ns === "rule" && w.key === "identity.rateLimit") view.rate = undefined;
        else if (w.ns === "access" || w.ns === "dept" || (w.ns === "dataset" && w.key === REGISTRY)) view.basis.clear();
      }
    });
    views.set(ledger, (v = view));
  }
  return v;
}

const limiters = new WeakMap<PortalLedger, { minute: FailureLimiter; day: FailureLimiter }>();
function limiterOf(ledger: PortalLedger) {
  let l = limiters.get(ledger);
  if (!l) limiters.set(ledger, (l = { minute: new FailureLimiter(DEFAULT_RATE.perMinute, 60_000), day: new FailureLimiter(DEFAULT_RATE.perDay, 86_400_000) }));
  return l;
}

async function rateRule(ledger: PortalLedger): Promise<RateRule> {
  const view = viewOf(ledger);
  if (!view.rate) {
    const rule = (await ledger.node.store.record<{ value: Partial<RateRule> }>("rule", "identity.rateLimit"))?.value.value;
    view.rate = { ...DEFAULT_RATE, ...(rule ?? {}) };
  }
  return view.rate;
}

/** Counts one check against the verifier's per-minute and per-day limits. @throws RateLimitedError */
async function takeRate(ledger: PortalLedger, verifier: Verifier, now: number): Promise<void> {
  const rule = await rateRule(ledger);
  const { minute, day } = limiterOf(ledger);
  const m = minute.check(verifier.id, now, rule.perMinute);
  if (m.blocked) throw tooManyChecks(Math.ceil(m.retryAfterMs / 1000), `${rule.perMinute}/min`);
  const d = day.check(verifier.id, now, rule.perDay);
  if (d.blocked) throw tooManyChecks(Math.ceil(d.retryAfterMs / 1000), `${rule.perDay}/day`);
  minute.fail(verifier.id, now);
  day.fail(verifier.id, now);
}

/**
 * On what basis the verifier's department may check IDs: as the owner, as a system admin, or under
 * its live `verify` grant (named in the transaction). @throws AccessDeniedError
 */
export async function verifyBasis(ledger: PortalLedger, verifier: Verifier, now = Date.now()): Promise<{ grant?: string }> {
  const view = viewOf(ledger);
  const key = `${verifier.dept}\u0000${verifier.role === "sys_admin"}`;
  const hit = view.basis.get(key);
  if (hit && now - hit.at < BASIS_TTL_MS) return hit.grant ? { grant: hit.grant } : {};
  const basis = await loadBasis(ledger, verifier, now);
  view.basis.set(key, { at: now, ...basis });
  return basis;
}

async function loadBasis(ledger: PortalLedger, verifier: Verifier, now: number): Promise<{ grant?: string }> {
  const owner = (await registryEntry(ledger))?.owner;
  if (verifier.dept === owner || verifier.role === "sys_admin") return {};
  const grants = await grantsOf(ledger, { dataset: REGISTRY, dept: verifier.dept, status: "active" });
  const live = grants.filter((g) => g.grant!.actions.includes("verify") && g.grant!.expires > now).sort((a, b) => b.grant!.expires - a.grant!.expires)[0];
  if (!live) {
    throw new AccessDeniedError("no_grant", `${verifier.dept} 未获身份核验授权，请向 ${owner ?? "公安机关"} 申请 ${verifier.dept} holds no ID verification grant on ${REGISTRY}; request one from ${owner ?? "public security"}`);
  }
  return { grant: live.id };
}

export async function verifyIdentity(ledger: PortalLedger, verifier: Verifier, input: VerifyInput, now = Date.now()): Promise<VerifyOutcome> {
  const site = siteById(input.site);
  if (!site) throw new RangeError(`unknown verification site ${input.site}`); // the router's input schema refuses it first
  const basis = await verifyBasis(ledger, verifier, now);
  await takeRate(ledger, verifier, now);
  const first = await indexKey(ledger);
  const index = indexesOf(first, input.idNumber, input.name);
  const record = await recordKeyOf(ledger, index.idNumber);
  const photo = input.photo ? await storePhoto(ledger, input.photo, now) : null;
  const id = `idc-${randomBytes(8).toString("hex")}`;
  const payload = {
    id,
    idIndex: index.idNumber,
    nameIndex: index.name,
    record,
    site: { id: site.id, name: site.name, lon: site.lon, lat: site.lat },
    ...basis,
    ...(photo ? { photo: photo.hash } : {}),
  };
  let tx;
  try {
    tx = await ledger.submitAs(verifier, "identity.verify", payload, input.purpose.trim().slice(0, 500));
  } catch (e) {
    if (photo?.created) await deletePhoto(ledger, photo.hash);
    throw e;
  }
  // The contract's decision, and whether it raised an alert, in one read.
  const alertId = `ida-${id.slice(4)}`;
  const { rows } = await ledger.db.query<{ ns: string; value: IdCheck }>(`SELECT ns, value FROM state_records WHERE (ns = 'idcheck' AND key = $1) OR (ns = 'idalert' AND key = $2)`, [id, alertId]);
  const check = rows.find((r) => r.ns === "idcheck")!.value;
  const alert = rows.some((r) => r.ns === "idalert") ? alertId : null;
  return { check: id, result: check.result, duplicate: check.duplicate ?? null, alert, photo: photo?.hash ?? null, time: check.time, seq: tx.seq, hash: tx.hash, height: tx.height };
}
