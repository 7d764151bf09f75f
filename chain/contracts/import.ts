/**
 * Bulk import (registry.import): one transaction that applies many rows of one registry contract,
 * all or none. Each row is parsed by the inner contract's schema, authorised as that contract would
 * authorise it (its roles or the rule authz.<type>), and applied in order in the same transaction,
 * so a later row sees the earlier rows' writes and any refusal refuses the whole file.
 */
import { z } from "zod";
import { canonicalize, type Json } from "../encoding.js";
import { HEX32 } from "../tx.js";
import { requireSubmitter, type AuthzRule } from "./submitter.js";
import { TxRejectedError, type Contract, type ContractContext, type StateKey } from "./types.js";

/** The registry contracts a file may hold rows of. */
export const IMPORTABLE_TYPES = ["company.register", "vehicle.register", "driver.register", "hazmat.permit", "unit.register", "identity.enrol"] as const;
export type ImportableType = (typeof IMPORTABLE_TYPES)[number];
export const MAX_IMPORT_ROWS = 500;

type Contracts = ReadonlyMap<string, Contract<unknown>>;

/** "第 3 行 row 3: …": the row a refusal comes from, counted from 1 as in the file's data rows. */
export const rowMessage = (index: number, message: string) => `第 ${index + 1} 行 row ${index + 1}: ${message}`;

/** Refuses unless the submitter may submit the inner type itself (its roles, or the rule authz.<type>). */
export function requireRowAuthority(ctx: ContractContext, inner: Contract<unknown>): void {
  requireSubmitter(inner, ctx.get<{ value: AuthzRule }>("rule", `authz.${inner.type}`)?.value, ctx.user);
}

/** The context a row's contract sees: the import's, under the inner type (messages name it). */
export function rowContext(ctx: ContractContext, type: string): ContractContext {
  const tx = { ...ctx.tx, type };
  return {
    tx,
    hash: ctx.hash,
    seq: ctx.seq,
    height: ctx.height,
    blockTime: ctx.blockTime,
    signer: ctx.signer,
    user: ctx.user,
    get: (ns, key) => ctx.get(ns, key),
    put: (ns, key, value) => ctx.put(ns, key, value),
    del: (ns, key) => ctx.del(ns, key),
    rule: (name) => ctx.rule(name),
    refuse: (message) => ctx.refuse(message),
  };
}

/** Applies one row; a refusal carries the row number. */
export function applyRow(ctx: ContractContext, inner: Contract<unknown>, row: unknown, index: number): void {
  try {
    inner.apply(rowContext(ctx, inner.type), row);
  } catch (e) {
    if (e instanceof TxRejectedError) throw new TxRejectedError(rowMessage(index, e.message), e.code);
    throw e;
  }
}

/** A row's writes held apart, so that a row the preview refuses leaves nothing behind; `keep` hands them on. */
function rowScope(ctx: ContractContext, type: string): { ctx: ContractContext; keep(): void } {
  const own = new Map<string, { ns: string; key: string; value: Json | null }>();
  const id = (ns: string, key: string) => `${ns}\u0000${key}`;
  const get = <T>(ns: string, key: string) => {
    const w = own.get(id(ns, key));
    return (w ? (w.value ?? undefined) : ctx.get(ns, key)) as T | undefined;
  };
  const scoped: ContractContext = {
    ...rowContext(ctx, type),
    get,
    rule: <T>(name: string) => get<{ value: T }>("rule", name)?.value,
    // Encoded now, as the ledger's context does: a value JSON cannot carry refuses this row.
    put: (ns, key, value) => void (canonicalize(value), own.set(id(ns, key), { ns, key, value })),
    del: (ns, key) => void own.set(id(ns, key), { ns, key, value: null }),
  };
  return { ctx: scoped, keep: () => own.forEach((w) => (w.value === null ? ctx.del(w.ns, w.key) : ctx.put(w.ns, w.key, w.value))) };
}

/** What the preview finds: the file's fault (the submitter may not submit the rows' type), else each row's (null: it applies). */
export interface ImportJudgement {
  fileError: TxRejectedError | null;
  rows: (Error | null)[];
}

/**
 * The preview's judge, run by the ledger's dry run in apply's place over the same context: the
 * file's authority, then every row in order, each seeing the writes of the rows before it that
 * applied. A refused row's writes are dropped and the next row is judged; with no refusal this does
 * exactly what apply does.
 */
export function judgeImport(ctx: ContractContext, inner: Contract<unknown>, rows: unknown[]): ImportJudgement {
  try {
    requireRowAuthority(ctx, inner);
  } catch (e) {
    if (e instanceof TxRejectedError) return { fileError: e, rows: rows.map(() => null) };
    throw e;
  }
  return {
    fileError: null,
    rows: rows.map((row) => {
      const scope = rowScope(ctx, inner.type);
      try {
        inner.apply(scope.ctx, row);
        // The ledger's context refuses a write to a namespace the contract did not declare: as this row's fault.
        scope.keep();
      } catch (e) {
        return e instanceof Error ? e : new Error(String(e));
      }
      return null;
    }),
  };
}

/** Keys the import reads: the inner type's authorisation and rules, and every row's own reads. */
export function importReads(inner: Contract<unknown>, tx: Parameters<NonNullable<Contract<unknown>["reads"]>>[0], rows: unknown[]): StateKey[] {
  const keys: StateKey[] = [["rule", `authz.${inner.type}`]];
  for (const r of inner.rules ?? []) keys.push(["rule", r]);
  const innerTx = { ...tx, type: inner.type };
  if (inner.reads) for (const row of rows) keys.push(...inner.reads(innerTx, row));
  return keys;
}

export function importContract(contracts: Contracts): Contract<{ type: ImportableType; rows: unknown[]; file?: { name: string; sha256: string } }> {
  const innerOf = (type: string) => {
    const c = contracts.get(type);
    if (!c) throw new Error(`registry.import: no contract ${type}`);
    return c;
  };
  for (const t of IMPORTABLE_TYPES) innerOf(t);
  return {
    type: "registry.import",
    version: 1,
    // Who may import is who may submit the inner type: checked per file in apply.
    roles: ["viewer", "operator", "dispatcher", "supervisor", "dept_admin", "sys_admin", "system"],
    schema: z
      .object({
        type: z.enum(IMPORTABLE_TYPES),
        rows: z.array(z.unknown()).min(1, "an import holds at least one row").max(MAX_IMPORT_ROWS, `an import holds at most ${MAX_IMPORT_ROWS} rows`),
        /** The file the rows came from: its name and SHA-256, so the import can be matched to it later. */
        file: z.object({ name: z.string().trim().min(1).max(200), sha256: z.string().regex(HEX32, "sha256: 64 lowercase hex digits") }).strict().optional(),
      })
      .strict()
      .transform((p, c) => {
        const inner = innerOf(p.type);
        const rows: unknown[] = [];
        p.rows.forEach((row, i) => {
          const r = inner.schema.safeParse(row);
          if (r.success) rows.push(r.data);
          else for (const issue of r.error.issues) c.addIssue({ code: "custom", path: ["rows", i, ...issue.path.map(String)], message: rowMessage(i, issue.message) });
        });
        return { ...p, rows };
      }),
    writes: [...new Set(IMPORTABLE_TYPES.flatMap((t) => innerOf(t).writes))],
    // Each row is governed as its own type would be: an import shows no more than its rows one by one.
    governs: { rows: (p) => ({ type: p.type, rows: p.rows, key: "rows" }) },
    subject: (p) => `${p.type} × ${p.rows.length}`,
    reads: (tx, p) => importReads(innerOf(p.type), tx, p.rows),
    apply(ctx, p) {
      const inner = innerOf(p.type);
      requireRowAuthority(ctx, inner);
      p.rows.forEach((row, i) => applyRow(ctx, inner, row, i));
    },
  };
}
