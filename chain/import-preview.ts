/**
 * The preview of a bulk import: the ledger's dry run of the registry.import transaction that would
 * carry the rows (the same admission, state and context as submitting it), with the import's judge
 * in apply's place so that every row's fault is reported instead of the first. Nothing is written.
 * What it accepts, submitting accepts, unless state changes in between (then the transaction refuses
 * and nothing is written either).
 */
import { judgeImport } from "./contracts/import.js";
import type { ContractRegistry } from "./contracts/index.js";
import { TxRejectedError, type ContractContext } from "./contracts/types.js";
import type { Json } from "./encoding.js";
import type { DryRun } from "./engine.js";
import type { TxInput } from "./node.js";

export interface RowVerdict {
  /** 0-based index of the data row. */
  index: number;
  ok: boolean;
  errors: string[];
}

export interface ImportPreview {
  /** A fault of the whole file (the transaction is refused before its rows: who submits, with which key, …); rows are not judged then. */
  fileError: string | null;
  /** Its kind, as the ledger classes the refusal ("unauthorized": who submits may not). */
  fileErrorCode: TxRejectedError["code"] | null;
  rows: RowVerdict[];
  valid: number;
  invalid: number;
}

/** What the preview needs of a ledger node (LedgerNode). */
export interface DryRunner {
  readonly contracts: ContractRegistry;
  dryRun<T>(input: TxInput, signer: string, judge: (ctx: ContractContext, payload: unknown) => T): Promise<DryRun<T>>;
}

export interface ImportRequest {
  /** The rows' contract (one of IMPORTABLE_TYPES). */
  type: string;
  rows: unknown[];
  dept: string;
  actor: string;
  /** The key that would sign the transaction. */
  signer: string;
}

export async function previewImport(node: DryRunner, input: ImportRequest): Promise<ImportPreview> {
  const inner = node.contracts.get(input.type);
  // Rows that fail their schema are not applied: the file's transaction would carry only the others.
  const parsed = input.rows.map((row) => inner?.schema.safeParse(row));
  const good = input.rows.filter((_, i) => parsed[i]?.success);
  let refusal: TxRejectedError | null = null;
  let faults: (Error | null)[] = [];
  if (!inner) refusal = new TxRejectedError(`不可导入的类型 ${input.type} cannot be imported`, "unknown_type");
  else if (good.length > 0) {
    const run = await node.dryRun(
      { type: "registry.import", dept: input.dept, actor: input.actor, payload: { type: input.type, rows: good as Json[] } },
      input.signer,
      (ctx, p) => judgeImport(ctx, inner, (p as { rows: unknown[] }).rows),
    );
    if (!run.ok) refusal = run.error;
    else if (run.result.fileError) refusal = run.result.fileError;
    else faults = run.result.rows;
  }
  const fileError = refusal?.message ?? null;
  let j = 0;
  const rows: RowVerdict[] = parsed.map((r, index) => {
    if (r && !r.success) return { index, ok: false, errors: r.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)) };
    const fault = faults[j++];
    if (fileError || fault === undefined) return { index, ok: false, errors: [] };
    return fault ? { index, ok: false, errors: [fault.message] } : { index, ok: true, errors: [] };
  });
  const valid = rows.filter((r) => r.ok).length;
  return { fileError, fileErrorCode: refusal?.code ?? null, rows, valid, invalid: rows.length - valid };
}
