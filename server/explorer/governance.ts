/**
 * The explorer's reads through the sharing policy. A record or a transaction payload of a governed
 * dataset shows only the fields `decide()` lets the reader see; every other catalogued field is
 * replaced by a withheld marker carrying the reason. Sensitive fields the reader may see (sensitivity
 * >= 3, or sealed) are withheld too until the reader reveals them: a reveal is a mutation that opens
 * sealed values with the reader department's key and writes one `data.read` per dataset shown.
 * Blind indexes are never shown: they exist to find a record, and reveal which ones share a value.
 */
import { defaultRegistry } from "../../chain/contracts/index";
import { NAMESPACES } from "../../chain/contracts/namespaces";
import { SENSITIVE_LEVEL, type DatasetEntry, type DatasetField } from "../../chain/contracts/sharing";
import type { Contract, PayloadScope } from "../../chain/contracts/types";
import { openField, type SealedValue } from "../../chain/sealing";
import { listDepartments, type Department } from "../ledger/directory";
import type { PortalLedger } from "../ledger/portal-ledger";
import { redactSecrets } from "../ledger/redact";
import { datasetKeys, openDataKey } from "../sharing/keys";
import { auditRead, decide, grantsOf, rowAllowed, type Allowed, type Decision, type Reader } from "../sharing/policy";

export interface Withheld {
  withheld: true;
  reason: string;
  /** The reader may see it by revealing (a logged read). */
  revealable?: true;
}

export function isWithheld(v: unknown): v is Withheld {
  return !!v && typeof v === "object" && (v as Withheld).withheld === true;
}

/** Where a record or payload belongs: its dataset, and which of its keys stand for which catalogued field. */
type Scope = PayloadScope;

/** The declaration of a transaction type (its contract), or undefined for a type this ledger does not know. */
const contractOf = (type: string): Contract<unknown> | undefined => defaultRegistry.get(type);

/** The scope a contract declares for a payload; a declaration that cannot read the payload governs it as its dataset-less worst case. */
function scopeOf(c: Contract<unknown>, payload: Record<string, unknown>): Scope | null | "unreadable" {
  if (!("scope" in c.governs)) return null;
  try {
    return c.governs.scope(payload);
  } catch {
    return "unreadable";
  }
}

/** Every key of a value withheld for one reason (a value the policy cannot place). */
function withholdAll(value: Record<string, unknown>, dataset: string, reason: string): Governed<Record<string, unknown>> {
  const keys = Object.keys(value);
  return { value: Object.fromEntries(keys.map((k) => [k, { withheld: true, reason }])), hidden: keys.map((field) => ({ dataset, field, reason })), revealable: false };
}

/** Keys of a record that are ledger bookkeeping, never data: shown as they are. */
const STAMPS = new Set(["registered", "updated", "defined", "retired", "approved", "anchored", "written", "steps", "version", "status", "owner", "dataset"]);

export interface Shown {
  entry: DatasetEntry;
  decision: Allowed;
  fields: Set<string>;
}

export interface Governed<T = unknown> {
  value: T;
  /** Catalogued fields withheld, with why (one entry per field). */
  hidden: { dataset: string; field: string; reason: string; revealable?: true; /** A blind index of a field the reader may see: kept out of views, not out of the reader's receipt. */ ownIndex?: true }[];
  /** Sensitive fields withheld only until revealed. */
  revealable: boolean;
  /** Why the reader may see nothing of the record (no grant, or a row outside it). */
  denied?: string;
}

/** Where a transaction's stated purpose rides through `govern` (no payload key can be this). */
const PURPOSE_KEY = "\u0000purpose";
const SENSITIVE_REASON = "敏感字段：点击「查看」读取，读取将记录在账本 sensitive: reveal to read it (the read is logged on the ledger)";
const BLIND_INDEX_REASON = "盲索引不予显示 a blind index is never shown";
const BLIND_INDEX_KEY = /^[a-z]+Index$/;
const QUERY_REASON = "检索词仅发起部门与数据所属部门可见 the search term: the reading and the owning departments only";

/**
 * Governs explorer reads for one reader in one request: loads the catalogue, the departments and the
 * reader department's grants once, and decides each dataset once.
 */
export class ExplorerGovernor {
  private readonly decisions = new Map<string, Decision | null>();
  /** Sensitive fields shown in clear by this governor (reveal mode), by dataset: what the audit logs. */
  readonly shown = new Map<string, Shown>();

  private constructor(
    private readonly ledger: PortalLedger,
    readonly reader: Reader,
    private readonly catalogue: Map<string, DatasetEntry>,
    private readonly byNs: Map<string, string>,
    private readonly depts: Department[],
    private readonly grants: Awaited<ReturnType<typeof grantsOf>>,
    private readonly reveal: boolean,
  ) {}

  static async create(ledger: PortalLedger, reader: Reader, opts: { reveal?: boolean } = {}): Promise<ExplorerGovernor> {
    const [entries, depts, grants] = await Promise.all([ledger.node.store.records<DatasetEntry>("dataset"), listDepartments(ledger.node.store), grantsOf(ledger, { dept: reader.dept })]);
    const catalogue = new Map(entries.map((e) => [e.key, e.value]));
    const byNs = new Map<string, string>();
    for (const e of catalogue.values()) if (e.source.kind === "ledger") byNs.set(e.source.ns, e.id);
    return new ExplorerGovernor(ledger, reader, catalogue, byNs, depts, grants, !!opts.reveal);
  }

  private decision(dataset: string): Decision | null {
    if (!this.decisions.has(dataset)) {
      const entry = this.catalogue.get(dataset);
      this.decisions.set(dataset, entry ? decide(this.reader, entry, this.depts, this.grants, Date.now()) : null);
    }
    return this.decisions.get(dataset)!;
  }

  /** The scope of a state record, or null when its namespace is not a governed dataset. */
  recordScope(ns: string, key: string, value: unknown): Scope | null {
    const declared = Object.hasOwn(NAMESPACES, ns) ? NAMESPACES[ns] : undefined;
    if (declared) return "scope" in declared && value && typeof value === "object" ? declared.scope(key, value as Record<string, unknown>) : null;
    // A dataset registered at run time on a namespace of its own.
    const dataset = this.byNs.get(ns);
    return dataset ? { dataset, recordKey: key } : null;
  }

  /** A state record's value as the reader may see it. */
  record(ns: string, key: string, value: unknown): Governed {
    const scope = this.recordScope(ns, key, value);
    if (!scope || !value || typeof value !== "object") return { value: redactSecrets(value), hidden: [], revealable: false };
    return this.govern(scope, value as Record<string, unknown>);
  }

  /** A transaction's payload and stated purpose as the reader may see them, as its contract declares them governed. */
  tx(type: string, dept: string, payload: Record<string, unknown> | null, purpose: string | null): Governed<{ payload: Record<string, unknown> | null; purpose: string | Withheld | null }> {
    const contract = contractOf(type);
    if (!payload || !contract) return { value: { payload: payload && redactSecrets(payload), purpose }, hidden: [], revealable: false };
    const governs = contract.governs;
    if ("public" in governs) return { value: { payload: redactSecrets(payload), purpose }, hidden: [], revealable: false };
    if ("searchTerm" in governs) return this.dataRead(dept, governs.searchTerm(payload as never), payload, purpose);
    if ("rows" in governs) return this.rows(dept, governs.rows(payload as never), payload, purpose);
    const scope = scopeOf(contract, payload);
    if (scope === "unreadable") return this.unreadable(payload, purpose);
    if (!scope) return { value: { payload: redactSecrets(payload), purpose }, hidden: [], revealable: false };
    const g = this.govern(scope, { ...payload, ...(scope.purposeField && purpose !== null ? { [PURPOSE_KEY]: purpose } : {}) });
    const out = g.value as Record<string, unknown>;
    // A stated purpose speaks of the record ("licence revoked: …"): withheld with it from a reader who may see none of it.
    const governedPurpose = scope.purposeField && purpose !== null ? (out[PURPOSE_KEY] as string | Withheld) : purpose !== null && g.denied ? { withheld: true as const, reason: g.denied } : purpose;
    delete out[PURPOSE_KEY];
    return { value: { payload: out, purpose: governedPurpose }, hidden: g.hidden, revealable: g.revealable };
  }

  /** Rows of other types (a bulk import): each governed as a transaction of its own type. */
  private rows(dept: string, r: { type: string; rows: readonly unknown[]; key: string }, payload: Record<string, unknown>, purpose: string | null): Governed<{ payload: Record<string, unknown>; purpose: string | null }> {
    const hidden: Governed["hidden"] = [];
    let revealable = false;
    const rows = (Array.isArray(r.rows) ? r.rows : []).map((row) => {
      const g = this.tx(r.type, dept, row && typeof row === "object" && !Array.isArray(row) ? (row as Record<string, unknown>) : { value: row }, null);
      hidden.push(...g.hidden);
      revealable ||= g.revealable;
      return g.value.payload;
    });
    return { value: { payload: { ...redactSecrets(payload), [r.key]: rows }, purpose }, hidden, revealable };
  }

  /** A payload its declaration cannot read (not the shape the contract takes): nothing of it is shown. */
  private unreadable(payload: Record<string, unknown>, purpose: string | null): Governed<{ payload: Record<string, unknown>; purpose: string | null }> {
    const g = withholdAll(payload, "", "无法识别的载荷格式 a payload of an unknown shape");
    return { value: { payload: g.value, purpose }, hidden: g.hidden, revealable: false };
  }

  /** An access-log entry: its search term is for the department that read and the dataset's owner. */
  private dataRead(dept: string, term: { dataset: string; key: string }, payload: Record<string, unknown>, purpose: string | null): Governed<{ payload: Record<string, unknown>; purpose: string | null }> {
    if (!(term.key in payload)) return { value: { payload, purpose }, hidden: [], revealable: false };
    const d = this.decision(term.dataset);
    const mayKnow = dept === this.reader.dept || (d?.ok && d.basis !== "grant");
    if (mayKnow) return { value: { payload, purpose }, hidden: [], revealable: false };
    return {
      value: { payload: { ...payload, [term.key]: { withheld: true, reason: QUERY_REASON } }, purpose },
      hidden: [{ dataset: term.dataset, field: term.key, reason: QUERY_REASON }],
      revealable: false,
    };
  }

  private govern(scope: Scope, value: Record<string, unknown>): Governed {
    const entry = this.catalogue.get(scope.dataset);
    const hidden: Governed["hidden"] = [];
    let revealable = false;
    if (!entry) {
      // Declared as a dataset's, but not in this ledger's catalogue: nothing of it is shown.
      return withholdAll(value, scope.dataset, `数据集 ${scope.dataset} 未编目 dataset ${scope.dataset} is not catalogued`);
    }
    const fields = new Map<string, DatasetField>(entry.fields.map((f) => [f.name, f]));
    const rowKey = entry.rowKey ?? entry.fields[0]?.name;
    const fieldOf = (k: string): DatasetField | null => {
      if (k === PURPOSE_KEY) return fields.get(scope.purposeField ?? "") ?? null;
      const name = scope.alias?.[k] ?? (scope.alias?.["*"] && !STAMPS.has(k) ? scope.alias["*"] : k);
      if (name === "__rowkey") return rowKey ? (fields.get(rowKey) ?? null) : null;
      return fields.get(name) ?? null;
    };
    const decision = this.rowDecision(this.decision(scope.dataset)!, value, fieldOf);
    const withheld = (field: string, reason: string, canReveal = false): Withheld => {
      hidden.push(canReveal ? { dataset: entry.id, field, reason, revealable: true } : { dataset: entry.id, field, reason });
      if (canReveal) revealable = true;
      return canReveal ? { withheld: true, reason, revealable: true } : { withheld: true, reason };
    };
    /** A blind index: never shown; when the reader may see its field, it does not bar the receipt. */
    const blindIndex = (field: string): Withheld => {
      const own = decision.ok && decision.fields.some((x) => x.name === field);
      hidden.push(own ? { dataset: entry.id, field, reason: BLIND_INDEX_REASON, ownIndex: true } : { dataset: entry.id, field, reason: BLIND_INDEX_REASON });
      return { withheld: true, reason: BLIND_INDEX_REASON };
    };
    const rule = (f: DatasetField, v: unknown, sealed?: SealedValue): unknown => {
      if (!decision.ok) return withheld(f.name, decision.reason);
      const seen = decision.fields.some((x) => x.name === f.name);
      if (!seen) return withheld(f.name, decision.hidden.find((h) => h.name === f.name)?.reason ?? "not granted 未授权字段");
      const sensitive = f.sensitivity >= SENSITIVE_LEVEL || f.sealed || !!sealed;
      if (!sensitive) return v;
      if (!this.reveal) return withheld(f.name, SENSITIVE_REASON, true);
      const clear = sealed ? this.open(entry, scope.recordKey ?? "", f.name, sealed, decision) : { ok: true as const, value: v };
      if (!clear.ok) return withheld(f.name, clear.reason);
      this.markShown(entry, decision, f.name);
      return clear.value;
    };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if ((k === "sealed" || k === "index") && v && typeof v === "object" && !Array.isArray(v)) {
        const inner: Record<string, unknown> = {};
        for (const [name, sv] of Object.entries(v as Record<string, unknown>)) {
          const f = fields.get(scope.alias?.[name] ?? name) ?? null;
          if (k === "index") inner[name] = blindIndex(f?.name ?? name);
          else inner[name] = f ? rule(f, sv, sv as SealedValue) : withheld(name, decision.ok ? SENSITIVE_REASON : decision.reason);
        }
        out[k] = inner;
        continue;
      }
      if (k === "attrs" && v && typeof v === "object" && !Array.isArray(v)) {
        const sub = this.govern(scope, v as Record<string, unknown>);
        out[k] = sub.value;
        hidden.push(...sub.hidden);
        revealable ||= sub.revealable;
        continue;
      }
      // A payload's blind indexes (idIndex, nameIndex, ...): never shown, like `index`.
      if (BLIND_INDEX_KEY.test(k) && typeof v === "string") {
        out[k] = blindIndex(fieldOf(k)?.name ?? k);
        continue;
      }
      const f = fieldOf(k);
      out[k] = f ? rule(f, v) : redactSecrets(v);
    }
    return { value: out, hidden, revealable, ...(decision.ok ? {} : { denied: decision.reason }) };
  }

  /** A grant limited to some rows (e.g. one district) shows nothing of a record outside them, or of one that does not say where it belongs. */
  private rowDecision(decision: Decision, value: Record<string, unknown>, fieldOf: (k: string) => DatasetField | null): Decision {
    if (!decision.ok || !decision.rowFilter) return decision;
    const row: Record<string, unknown> = {};
    const attrs = value.attrs && typeof value.attrs === "object" ? (value.attrs as Record<string, unknown>) : {};
    for (const [k, v] of [...Object.entries(value), ...Object.entries(attrs)]) {
      const f = fieldOf(k);
      if (f && f.name in decision.rowFilter) row[f.name] = v;
    }
    if (rowAllowed(row, decision)) return decision;
    const filter = Object.entries(decision.rowFilter).map(([k, v]) => `${k}=${v}`).join(", ");
    return { ok: false, code: "no_grant", reason: `记录不在授权范围（${filter}） the record is outside your grant's rows (${filter})` };
  }

  private open(entry: DatasetEntry, record: string, field: string, sealed: SealedValue, decision: Allowed): { ok: true; value: unknown } | { ok: false; reason: string } {
    const keys = this.keys.get(entry.id) ?? null;
    {
      const key = keys ? openDataKey(this.ledger, keys, sealed.v, decision.keyDept) : null;
      if (!key) return { ok: false, reason: `本节点无法为 ${decision.keyDept} 打开此字段 this node cannot open the field for ${decision.keyDept}` };
      try {
        return { ok: true, value: openField(key, { dataset: entry.id, record, field }, sealed) };
      } catch {
        return { ok: false, reason: "密文无法打开（已被篡改或位置不符） the sealed value does not open (altered or misplaced)" };
      }
    }
  }

  private readonly keys = new Map<string, Awaited<ReturnType<typeof datasetKeys>>>();

  /** Loads the dataset keys a reveal may need (sealed fields open synchronously afterwards). */
  async preloadKeys(datasets: Iterable<string>): Promise<void> {
    for (const d of datasets) if (!this.keys.has(d)) this.keys.set(d, await datasetKeys(this.ledger, d));
  }

  private markShown(entry: DatasetEntry, decision: Allowed, field: string) {
    let s = this.shown.get(entry.id);
    if (!s) this.shown.set(entry.id, (s = { entry, decision, fields: new Set() }));
    s.fields.add(field);
  }

  /** Counts sensitive fields withheld only until revealed as shown (a receipt carries them in full). */
  markRevealed(hidden: Governed["hidden"]): void {
    for (const h of hidden) {
      const entry = this.catalogue.get(h.dataset);
      const d = this.decision(h.dataset);
      if (h.revealable && entry && d?.ok) this.markShown(entry, d, h.field);
    }
  }

  /** Writes one `data.read` per dataset whose sensitive fields this governor showed. */
  async audit(purpose: string, records: number, query: string): Promise<{ seq: number; hash: string }[]> {
    const out: { seq: number; hash: string }[] = [];
    for (const s of this.shown.values()) {
      const logged: Allowed = { ...s.decision, fields: s.decision.fields.filter((f) => s.fields.has(f.name)), sensitive: true };
      const c = await auditRead(this.ledger, this.reader, s.entry, logged, records, purpose, query);
      if (c) out.push({ seq: c.seq, hash: c.hash });
    }
    return out;
  }

  /** The datasets a record or payload may open sealed values of. */
  datasetsOf(scopes: (Scope | null)[]): string[] {
    return [...new Set(scopes.filter((s): s is Scope => !!s).map((s) => s.dataset))];
  }

  /** The scopes of a transaction's payload (one per row of a bulk import). */
  txScopes(type: string, payload: Record<string, unknown> | null): Scope[] {
    const c = contractOf(type);
    if (!payload || !c) return [];
    if ("rows" in c.governs) {
      const r = c.governs.rows(payload as never);
      return (Array.isArray(r.rows) ? r.rows : []).flatMap((row) => (row && typeof row === "object" ? this.txScopes(r.type, row as Record<string, unknown>) : []));
    }
    const s = scopeOf(c, payload);
    return s && s !== "unreadable" ? [s] : [];
  }
}

/** A one-line subject made from a governed payload: withheld values become "•••". */
export function maskWithheld(v: unknown): unknown {
  if (isWithheld(v)) return "•••";
  if (Array.isArray(v)) return v.map(maskWithheld);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskWithheld(x)]));
  return v;
}
