/**
 * CSV import and export of a registry. Import is two steps over the same code: preview (every row
 * built, sealed and judged by the contract against current state; nothing written) and commit
 * (the same again, then one registry.import transaction when every row is valid, none otherwise).
 */
import { createHash } from "node:crypto";
import { cstDate } from "../../chain/contracts/cst";
import { MAX_IMPORT_ROWS } from "../../chain/contracts/import";
import { previewImport } from "../../chain/import-preview";
import { CsvError, parseCsv, toCsv } from "../../lib/csv";
import { REGISTRIES, type RegistryKind } from "../../lib/registries";
import { AccessDeniedError, InvalidInputError } from "../errors";
import type { PortalLedger } from "../ledger/portal-ledger";
import { deptKeyId } from "../ledger/seed-data";
import { Cells, mapHeader, RowFaults } from "./cells";
import { exportColumns, REGISTRY_IMPL, type Official } from "./registries";

export interface PreviewRow {
  /** 1-based data row number (the header is not counted), as the messages name it. */
  row: number;
  key: string;
  ok: boolean;
  errors: string[];
  /** The row's cells, sealed columns masked: the preview never echoes personal data back. */
  cells: Record<string, string>;
}

export interface ImportPreviewResult {
  kind: RegistryKind;
  fileErrors: string[];
  rows: PreviewRow[];
  valid: number;
  invalid: number;
}

const mask = (v: string) => (v.length <= 2 ? "*".repeat(v.length) : `${v[0]}${"*".repeat(Math.min(v.length - 2, 8))}${v[v.length - 1]}`);

/** Builds and judges every row of a CSV document; returns the payloads of the rows too. */
async function judge(ledger: PortalLedger, me: Official, kind: RegistryKind, csv: string): Promise<{ result: ImportPreviewResult; payloads: Record<string, unknown>[]; forbidden?: boolean }> {
  const def = REGISTRIES[kind];
  const impl = REGISTRY_IMPL[kind];
  const empty = (fileErrors: string[]) => ({ result: { kind, fileErrors, rows: [], valid: 0, invalid: 0 }, payloads: [] });
  let table: string[][];
  try {
    table = parseCsv(csv);
  } catch (e) {
    if (e instanceof CsvError) return empty([`CSV 第 ${e.line} 行 line ${e.line}: ${e.message}`]);
    throw e;
  }
  const [header, ...body] = table;
  if (!header || body.length === 0) return empty(["文件没有数据行 the file has no data rows (a header row, then one row per record)"]);
  if (body.length > MAX_IMPORT_ROWS) return empty([`一次最多导入 ${MAX_IMPORT_ROWS} 行 at most ${MAX_IMPORT_ROWS} rows per import (this file has ${body.length})`]);
  const { ids, faults } = mapHeader(header, def.columns, def.listColumns);
  if (faults.length) return empty(faults);
  const records = body.map((cells) => Object.fromEntries(ids.flatMap((id, i) => (id ? [[id, (cells[i] ?? "").trim()]] : []))) as Record<string, string>);
  const built = await impl.build(ledger, records.map((r) => new Cells(r)));
  const good = built.flatMap((b, i) => (b instanceof Error ? [] : [{ i, payload: b }]));
  // Signed as submitAs signs it: with the key of the official's department.
  const verdict = await previewImport(ledger.node, { type: impl.type, rows: good.map((g) => g.payload), dept: me.dept, actor: me.id, signer: deptKeyId(me.dept) });
  const contractErrors = new Map(good.map((g, j) => [g.i, verdict.rows[j]]));
  const sealed = new Set(def.columns.filter((c) => c.sealed).map((c) => c.id));
  const rows: PreviewRow[] = records.map((r, i) => {
    const b = built[i];
    const errors = b instanceof RowFaults ? b.faults : b instanceof Error ? [b.message] : (contractErrors.get(i)?.errors ?? []);
    const cells = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, sealed.has(k) && v ? mask(v) : v]));
    return { row: i + 1, key: r[def.key] ?? "", ok: !(b instanceof Error) && !!contractErrors.get(i)?.ok, errors, cells };
  });
  const fileErrors = verdict.fileError ? [verdict.fileError] : [];
  const valid = rows.filter((r) => r.ok).length;
  return { result: { kind, fileErrors, rows, valid, invalid: rows.length - valid }, payloads: good.map((g) => g.payload), forbidden: verdict.fileErrorCode === "unauthorized" };
}

export async function previewRegistryImport(ledger: PortalLedger, me: Official, kind: RegistryKind, csv: string): Promise<ImportPreviewResult> {
  return (await judge(ledger, me, kind, csv)).result;
}

/** Writes the file as one transaction, or nothing: refused with the faults when any row is invalid. */
export async function commitRegistryImport(ledger: PortalLedger, me: Official, kind: RegistryKind, csv: string, fileName: string) {
  const { result, payloads, forbidden } = await judge(ledger, me, kind, csv);
  if (result.fileErrors.length || result.invalid > 0) {
    const first = result.rows.filter((r) => !r.ok).slice(0, 5).map((r) => `第 ${r.row} 行 row ${r.row}: ${r.errors.join("; ")}`);
    const message = `未导入任何记录 nothing imported: ${[...result.fileErrors, ...first].join(" | ")}${result.invalid > 5 ? ` (+${result.invalid - 5} more)` : ""}`;
    throw forbidden ? new AccessDeniedError("role", message) : new InvalidInputError(message);
  }
  const sha256 = createHash("sha256").update(csv).digest("hex");
  const committed = await ledger.submitAs(me, "registry.import", { type: REGISTRY_IMPL[kind].type, rows: payloads, file: { name: fileName, sha256 } }, `批量导入 ${REGISTRIES[kind].zh} import ${payloads.length} ${kind} from ${fileName}`.slice(0, 500));
  return { hash: committed.hash, seq: committed.seq, height: committed.height, rows: payloads.length, sha256 };
}

/** The registry as CSV: what the reader may see, sealed fields never (they stay on the ledger, sealed). */
export async function exportRegistry(ledger: PortalLedger, me: Official, kind: RegistryKind): Promise<{ fileName: string; csv: string; rows: number }> {
  const rows = await REGISTRY_IMPL[kind].list(ledger, me, undefined, 100_000);
  return { fileName: `cityledger-${kind}-${cstDate(Date.now())}.csv`, csv: toCsv(exportColumns(kind), rows), rows: rows.length };
}
