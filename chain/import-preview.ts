/**
 * The preview of a bulk import: every row parsed and applied against current state as the ledger
 * would apply it (in order, each row seeing the rows before it), but reporting every row's fault
 * instead of stopping at the first, and writing nothing. What it accepts, registry.import accepts,
 * unless state changes in between (then the transaction refuses and nothing is written either).
 */
import type { Json } from "./encoding.js";
import { stateId } from "./engine.js";
import { applyRow, importReads, requireRowAuthority, rowMessage } from "./contracts/import.js";
import type { ContractRegistry } from "./contracts/index.js";
import { TxRejectedError, type ContractContext, type KeyRecord, type StateKey, type UserRecord } from "./contracts/types.js";
import type { TxBody } from "./tx.js";

export interface RowVerdict {
  /** 0-based index of the data row. */
  index: number;
  ok: boolean;
  errors: string[];
}

export interface ImportPreview {
  /** A fault of the whole file (the submitter may not submit this type); rows are not judged then. */
  fileError: string | null;
  rows: RowVerdict[];
  valid: number;
  invalid: number;
}

type Load = (keys: StateKey[]) => Promise<Map<string, Json | null>>;

/** State as loaded plus the writes of the rows accepted so far (and, while a row runs, its own). */
class PreviewState {
  private readonly file = new Map<string, Json | null>();
  private row = new Map<string, Json | null>();
  constructor(private readonly loaded: Map<string, Json | null>) {}
  get(ns: string, key: string): Json | undefined {
    const id = stateId(ns, key);
    for (const m of [this.row, this.file, this.loaded]) if (m.has(id)) return m.get(id) ?? undefined;
    return undefined;
  }
  put(ns: string, key: string, value: Json | null): void {
    this.row.set(stateId(ns, key), value === null ? null : (JSON.parse(JSON.stringify(value)) as Json));
  }
  keep(): void {
    for (const [k, v] of this.row) this.file.set(k, v);
    this.row = new Map();
  }
  drop(): void {
    this.row = new Map();
  }
}

export async function previewImport(
  contracts: ContractRegistry,
  input: { type: string; rows: unknown[]; tx: Pick<TxBody, "dept" | "actor" | "chain" | "nonce" | "ts" | "v" | "type"> & { payload?: unknown }; blockTime: number; signer?: KeyRecord },
  load: Load,
): Promise<ImportPreview> {
  const inner = contracts.get(input.type);
  if (!inner) throw new Error(`no contract ${input.type}`);
  const tx = { ...input.tx, type: inner.type } as TxBody;
  // Parse first: rows that fail their schema are not applied (their reads cannot be derived).
  const parsed = input.rows.map((row) => inner.schema.safeParse(row));
  const good = parsed.flatMap((r) => (r.success ? [r.data] : []));
  const keys: StateKey[] = [["dept", tx.dept], ...importReads(inner, tx, good)];
  if (tx.actor !== "system") keys.push(["user", tx.actor]);
  const state = new PreviewState(await load(keys));
  const user = tx.actor === "system" ? undefined : (state.get("user", tx.actor) as unknown as UserRecord | undefined);
  const ctx: ContractContext = {
    tx,
    hash: "0".repeat(64),
    seq: 0,
    height: 0,
    blockTime: input.blockTime,
    signer: input.signer ?? { id: "preview", publicKey: "", dept: tx.dept, kind: "dept", status: "active" },
    user,
    get: <T>(ns: string, key: string) => state.get(ns, key) as T | undefined,
    put: (ns, key, value) => state.put(ns, key, value),
    del: (ns, key) => state.put(ns, key, null),
    rule: <T>(name: string) => (state.get("rule", name) as { value?: T } | undefined)?.value,
    refuse: (message: string): never => {
      throw new TxRejectedError(message, "refused");
    },
  };
  let fileError: string | null = null;
  try {
    if (tx.actor !== "system" && !user) throw new TxRejectedError(`unknown actor ${tx.actor}`, "unauthorized");
    requireRowAuthority(ctx, inner);
  } catch (e) {
    fileError = (e as Error).message;
  }
  const rows: RowVerdict[] = parsed.map((r, index) => {
    if (!r.success) return { index, ok: false, errors: r.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)) };
    if (fileError) return { index, ok: false, errors: [] };
    try {
      applyRow(ctx, inner, r.data, index);
      state.keep();
      return { index, ok: true, errors: [] };
    } catch (e) {
      state.drop();
      if (!(e instanceof TxRejectedError)) throw e;
      // applyRow names the row; the preview lists it per row already.
      return { index, ok: false, errors: [e.message.replace(rowMessage(index, ""), "")] };
    }
  });
  const valid = rows.filter((r) => r.ok).length;
  return { fileError, rows, valid, invalid: rows.length - valid };
}
