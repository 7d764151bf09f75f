/**
 * The read policy over every transaction type, generated from the contract registry: for each type a
 * committed sample is read through explorer.tx, explorer.receipt and portal.search by an official of
 * a department with no grant, and by one holding row-limited grants. Each catalogued field of the
 * payload shows as the policy (`decide`) says: clear, withheld until revealed, or withheld with the
 * policy's reason; a receipt is refused exactly when it would carry a withheld field; no value the
 * reader may not see appears anywhere in the view, the subject or a search result, including values
 * of the records the transaction wrote. Types declared public are listed with their reason and may
 * write public namespaces only. A new contract type is covered by adding one sample below; the test
 * fails until it has one.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultRegistry } from "../../chain/contracts/index";
import { NAMESPACES } from "../../chain/contracts/namespaces";
import { SENSITIVE_LEVEL, type DatasetEntry } from "../../chain/contracts/sharing";
import type { PayloadScope } from "../../chain/contracts/types";
import { idCheckDigit } from "../../lib/id-number";
import { resolveSession, type SessionUser } from "../auth/resolve-session";
import { createSession } from "../auth/sessions";
import { enrolPeople } from "../identity/registry";
import { listDepartments } from "../ledger/directory";
import { carriesSecret, redactSecrets } from "../ledger/redact";
import { decide, grantsOf, rowAllowed, type Decision } from "../sharing/policy";
import { openDemoWorld } from "../testing/demo-world";
import type { Harness } from "../testing/harness";
import type { VehicleServices } from "../vehicles/service";
import { txSamples } from "../testing/tx-samples";

type Value = Record<string, unknown>;
const isWithheld = (v: unknown): v is { withheld: true; reason: string; revealable?: true } => !!v && typeof v === "object" && (v as { withheld?: unknown }).withheld === true;
const codeOf = (p: Promise<unknown>) => p.then(() => "OK", (e) => (e instanceof TRPCError ? e.code : Promise.reject(e)));
const STAMPS = new Set(["registered", "updated", "defined", "retired", "approved", "anchored", "written", "steps", "version", "status", "owner", "dataset"]);

/** Readers: a department with no grant to anything it does not own, and one holding grants limited to Futian's rows. */
const NO_GRANT = "futian.psb.desk";
const ROW_LIMITED = "tp.supervisor";
const READERS = [NO_GRANT, ROW_LIMITED];
const FUTIAN = { district: "sz.futian" };

let h: Harness;
let vs: VehicleServices;
const users = new Map<string, SessionUser>();
/** One committed transaction per type: its hash. */
const sample = new Map<string, string>();

type Want = { kind: "clear" } | { kind: "revealable" } | { kind: "withheld"; reason: string | RegExp };

async function decisionFor(u: SessionUser, dataset: string): Promise<{ entry: DatasetEntry | null; d: Decision | null }> {
  const L = h.services.ledger;
  const entry = (await L.node.store.record<DatasetEntry>("dataset", dataset))?.value ?? null;
  if (!entry) return { entry, d: null };
  const [depts, grants] = await Promise.all([listDepartments(L.node.store), grantsOf(L, { dept: u.dept })]);
  return { entry, d: decide(u, entry, depts, grants, Date.now()) };
}

/** The catalogued field a payload or record key stands for under a scope. */
function fieldName(scope: PayloadScope, entry: DatasetEntry, k: string): string {
  const name = scope.alias?.[k] ?? (scope.alias?.["*"] && !STAMPS.has(k) ? scope.alias["*"] : k);
  return name === "__rowkey" ? (entry.rowKey ?? entry.fields[0].name) : name;
}

/** What the policy says one field of one record must look like to the reader, row filter included. */
/** Outside a row-limited grant: the record's row key (under any key that stands for it) is not the grant's. */
function outsideRows(entry: DatasetEntry, d: Decision, row: Value, scope: PayloadScope): boolean {
  if (!d.ok || !d.rowFilter) return false;
  const keyed: Value = {};
  for (const [k, v] of Object.entries({ ...row, ...((row.attrs as Value | undefined) ?? {}) })) keyed[fieldName(scope, entry, k)] = v;
  return !rowAllowed(keyed, d);
}

function want(entry: DatasetEntry, d: Decision, field: string, row: Value, scope: PayloadScope): Want {
  if (!d.ok) return { kind: "withheld", reason: d.reason };
  if (outsideRows(entry, d, row, scope)) return { kind: "withheld", reason: /outside your grant's rows/ };
  const f = entry.fields.find((x) => x.name === field)!;
  if (!d.fields.some((x) => x.name === field)) return { kind: "withheld", reason: d.hidden.find((x) => x.name === field)!.reason };
  return f.sensitivity >= SENSITIVE_LEVEL || f.sealed ? { kind: "revealable" } : { kind: "clear" };
}

/** Values (of at least 5 characters) the policy withholds from the reader and those it shows, over a record or payload. */
interface Ledgering {
  secret: Set<string>;
  shown: Set<string>;
}
/** The texts a value holds (withheld markers hold none: their reason is the policy's words, not data). */
const texts = (v: unknown): string[] =>
  (typeof v === "string" ? [v] : typeof v === "number" ? [String(v)] : isWithheld(v) ? [] : Array.isArray(v) ? v.flatMap(texts) : v && typeof v === "object" ? Object.values(v).flatMap(texts) : []).filter((s) => s.length >= 5);

/**
 * Checks one payload against the policy, key by key, and returns the number of catalogued fields
 * checked; collects the values that must not leak and those shown.
 */
async function checkPayload(u: SessionUser, scope: PayloadScope | null, raw: Value, shown: Value, where: string, seen: Ledgering): Promise<{ cells: number; barsReceipt: boolean; denied: boolean }> {
  if (!scope) {
    expect(shown, where).toEqual(redactSecrets(raw));
    texts(shown).forEach((t) => seen.shown.add(t));
    return { cells: 0, barsReceipt: false, denied: false };
  }
  const { entry, d } = await decisionFor(u, scope.dataset);
  expect(entry, `${where}: dataset ${scope.dataset} is catalogued`).not.toBeNull();
  let cells = 0;
  let barsReceipt = false;
  const visit = (r: Value, s: Value, path: string) => {
    for (const [k, v] of Object.entries(r)) {
      const at = `${where} ${path}${k}`;
      if ((k === "sealed" || k === "index") && v && typeof v === "object" && !Array.isArray(v)) {
        for (const [name, inner] of Object.entries(v as Value)) {
          const got = (s[k] as Value)[name];
          expect(isWithheld(got), `${at}.${name} is never shown in a polled view`).toBe(true);
          const w = want(entry!, d!, fieldName(scope, entry!, name), r, scope);
          if (k === "index" ? w.kind === "withheld" : w.kind === "withheld") barsReceipt = true;
          texts(inner).forEach((t) => seen.secret.add(t));
          cells++;
        }
        continue;
      }
      if (k === "attrs" && v && typeof v === "object" && !Array.isArray(v)) {
        visit(v as Value, s[k] as Value, `${path}attrs.`);
        continue;
      }
      const field = fieldName(scope, entry!, k);
      const catalogued = entry!.fields.some((f) => f.name === field);
      if (/^[a-z]+Index$/.test(k) && typeof v === "string") {
        expect(isWithheld(s[k]), `${at}: a blind index is never shown`).toBe(true);
        if (!catalogued || want(entry!, d!, field, r, scope).kind === "withheld") barsReceipt = true;
        seen.secret.add(v);
        cells++;
        continue;
      }
      if (!catalogued) {
        expect(s[k], at).toEqual(redactSecrets(v));
        texts(s[k]).forEach((t) => seen.shown.add(t));
        continue;
      }
      const w = want(entry!, d!, field, r, scope);
      const got = s[k];
      if (w.kind === "clear") {
        expect(got, at).toEqual(v);
        texts(v).forEach((t) => seen.shown.add(t));
      } else if (w.kind === "revealable") {
        expect(isWithheld(got) && got.revealable, `${at} withheld until revealed`).toBe(true);
        texts(v).forEach((t) => seen.secret.add(t));
      } else {
        expect(isWithheld(got) && !got.revealable, `${at} withheld`).toBe(true);
        expect((got as { reason: string }).reason, at).toMatch(w.reason instanceof RegExp ? w.reason : new RegExp(w.reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
        texts(v).forEach((t) => seen.secret.add(t));
        barsReceipt = true;
      }
      cells++;
    }
  };
  visit(raw, shown, "");
  const denied = !d!.ok || outsideRows(entry!, d!, raw, scope);
  // The stated purpose: a catalogued field where the scope says so, otherwise withheld with a record the reader may not see.
  return { cells, barsReceipt, denied: scope.purposeField ? want(entry!, d!, scope.purposeField, raw, scope).kind !== "clear" : denied };
}

beforeAll(async () => {
  ({ h, vs } = await openDemoWorld());
  const L = h.services.ledger;
  const number = "44030419900101456";
  await enrolPeople(L, { id: "psb.operator", dept: "sz.psb" }, [
    { key: "p-tm0001", attrs: { personId: "p-tm0001", cardStatus: "valid", cardIssued: "2020-01-01", cardExpires: "2040-01-01", authority: "深圳市公安局福田分局", district: "sz.futian" }, sealed: { name: "司马类型", idNumber: number + idCheckDigit(number), address: "深圳市福华路88号" } },
  ], "登记测试人员 enrol test people");
  // The row-limited reader's department holds grants on Futian's rows only.
  const admin = await h.as("admin");
  await admin.sharing.grant({ dataset: "identity.registry", dept: "sz.tp", fields: ["personId", "cardStatus", "cardExpires", "district", "authority"], purpose: "按辖区核查证件 district card checks", durationDays: 30, rowFilter: FUTIAN });
  await admin.sharing.grant({ dataset: "incidents", dept: "sz.tp", fields: ["id", "kind", "district", "location", "status", "units"], purpose: "辖区事故协同 district incident work", durationDays: 30, rowFilter: FUTIAN });
  for (const [type, hash] of await txSamples(h)) sample.set(type, hash);
  for (const id of READERS) {
    const { token } = await createSession(L.db, id, { ip: "t" });
    users.set(id, (await resolveSession(L, token))!.user);
  }
}, 300_000);
afterAll(async () => {
  vs?.supervisor.close();
  await h?.close();
});

const TYPES = [...defaultRegistry.keys()].sort();

describe("every transaction type through the read policy", () => {
  it("has a committed sample of every registered type", () => {
    expect(TYPES.filter((t) => !sample.has(t)).join(", "), "types without a sample: add one to server/testing/tx-samples.ts").toBe("");
  });

  it("declares public only what writes public namespaces, and every namespace it writes", () => {
    const publicTypes: Record<string, string> = {};
    for (const [type, c] of defaultRegistry) {
      for (const ns of c.writes) expect(Object.hasOwn(NAMESPACES, ns), `${type} writes ${ns}: declare it in chain/contracts/namespaces.ts`).toBe(true);
      if ("public" in c.governs) {
        publicTypes[type] = c.governs.public;
        for (const ns of c.writes) expect("public" in NAMESPACES[ns], `${type} is declared public but writes ${ns}, a dataset's namespace`).toBe(true);
      }
    }
    // The explicit list of public types, each with its reason (what the audit reads).
    expect(Object.keys(publicTypes).length).toBeGreaterThan(10);
    for (const [type, why] of Object.entries(publicTypes)) expect(why, type).toMatch(/[\u4e00-\u9fa5].* [a-z]/);
  });

  it("the catalogue and the namespace declarations agree on where each ledger dataset lives", async () => {
    for (const { value: e } of await h.services.ledger.node.store.records<DatasetEntry>("dataset")) {
      if (e.source.kind !== "ledger") continue;
      const ns = NAMESPACES[e.source.ns];
      expect(ns && "scope" in ns ? ns.scope("k", {}).dataset : null, `${e.id} lives in ${e.source.ns}`).toBe(e.id);
    }
  });

  for (const reader of READERS) {
    it.each(TYPES)(`%s: explorer.tx, receipt and search show ${reader} what the policy decides`, async (type) => {
      const hash = sample.get(type);
      if (!hash) return; // reported by the first test
      const u = users.get(reader)!;
      const caller = await h.as(reader);
      const L = h.services.ledger;
      const tx = (await L.node.store.txByHash(hash))!;
      const body = JSON.parse(tx.body) as { payload: Value; purpose?: string };
      const view = await caller.explorer.tx({ hash });
      const shown = view.tx.payload as Value;
      const c = defaultRegistry.get(type)!;
      // The header (department, actor, type) is every reader's to see.
      const seen: Ledgering = { secret: new Set(), shown: new Set([tx.dept, tx.actor, tx.type]) };
      let barsReceipt = false;
      let denied = false;
      const check = async (t: string, raw: Value, s: Value, where: string) => {
        const inner = defaultRegistry.get(t)!;
        const scope = "scope" in inner.governs ? inner.governs.scope(raw as never) : null;
        if ("searchTerm" in inner.governs) {
          // An access log's search term: for the department that read and those who may read the dataset but by a grant.
          const term = inner.governs.searchTerm(raw as never);
          if (!(term.key in raw)) return;
          const { d } = await decisionFor(u, term.dataset);
          const mayKnow = tx.dept === u.dept || (!!d?.ok && d.basis !== "grant");
          expect(isWithheld(s[term.key]), `${where} ${term.key}`).toBe(!mayKnow);
          if (!mayKnow) {
            barsReceipt = true;
            texts(raw[term.key]).forEach((t) => seen.secret.add(t));
          }
          return;
        }
        const r = await checkPayload(u, scope, raw, s, where, seen);
        barsReceipt ||= r.barsReceipt;
        denied ||= r.denied;
      };
      if ("rows" in c.governs) {
        const r = c.governs.rows(body.payload as never);
        const rows = shown[r.key] as Value[];
        expect(rows.length).toBe(r.rows.length);
        for (const [i, row] of r.rows.entries()) await check(r.type, row as Value, rows[i], `${reader} ${type} row ${i}`);
      } else {
        await check(type, body.payload, shown, `${reader} ${type}`);
      }
      // A purpose speaks of the record: withheld from a reader who may see none of it.
      if (body.purpose && !("rows" in c.governs)) {
        expect(isWithheld(view.tx.purpose), `${reader} ${type} purpose`).toBe(denied);
        if (denied) texts(body.purpose).forEach((t) => seen.secret.add(t));
      }
      // The records the transaction wrote: what they hold that the reader may not see never shows.
      const touches = await L.db.query<{ ns: string; key: string }>("SELECT ns, key FROM ledger_touches WHERE seq = $1", [tx.seq]);
      for (const { ns, key } of touches.rows) {
        const decl = NAMESPACES[ns];
        const rec = (await L.node.store.record(ns, key)) as { value: Value } | null;
        if (!decl || !("scope" in decl) || !rec) continue;
        const scope = decl.scope(key, rec.value);
        const { entry, d } = await decisionFor(u, scope.dataset);
        if (!entry || !d) continue;
        const flat = { ...rec.value, ...((rec.value.attrs as Value | undefined) ?? {}) };
        for (const [k, v] of Object.entries(flat)) {
          const field = fieldName(scope, entry, k);
          if (!entry.fields.some((f) => f.name === field)) continue;
          if (want(entry, d, field, rec.value, scope).kind !== "clear") texts(v).forEach((t) => seen.secret.add(t));
        }
      }
      const search = await caller.portal.search({ q: hash });
      const found = search.transactions.find((x) => x.hash === hash);
      expect(found?.subject, `${reader} ${type} search subject`).toBe(view.tx.subject);
      // Every value shown (and every token of it: subjects join several) against the values withheld.
      const views = { payload: shown, subject: view.tx.subject, purpose: view.tx.purpose, search: found?.subject };
      const out = new Set(texts(views).flatMap((t) => [t, ...t.split(/[\s·→×:(),;|]+/)]));
      for (const s of seen.secret) if (!seen.shown.has(s)) expect(out.has(s), `${reader} ${type}: "${s}" is withheld but shows in ${JSON.stringify(views)}`).toBe(false);
      // A receipt carries the signed bytes: refused exactly when it would carry a field withheld from the reader.
      const receipt = await codeOf(caller.explorer.receipt({ hash }));
      const credential = carriesSecret(tx.body) && u.role !== "sys_admin";
      expect(receipt, `${reader} ${type} receipt`).toBe(barsReceipt || credential ? "FORBIDDEN" : "OK");
    });
  }
});
