/**
 * Reading a CSV or form row: each cell is a string; these turn cells into payload values or collect
 * a message naming the column, so one row can report all of its faults at once.
 */
import type { Column } from "../../lib/registries";
import { InvalidInputError } from "../errors";

export class RowFaults extends InvalidInputError {
  constructor(readonly faults: string[]) {
    super(faults.join("; "));
  }
}

/** A spreadsheet's neutralised formula ('=…, as our export writes it) reads back as the text. */
const unquote = (s: string) => (/^'[=+\-@]/.test(s) ? s.slice(1) : s);

export class Cells {
  readonly faults: string[] = [];
  constructor(private readonly row: Record<string, string>) {}

  /** The trimmed cell, or undefined when empty. */
  opt(col: string): string | undefined {
    const v = unquote((this.row[col] ?? "").trim());
    return v === "" ? undefined : v;
  }

  req(col: string): string {
    const v = this.opt(col);
    if (v === undefined) this.faults.push(`${col}: 必填 required`);
    return v ?? "";
  }

  oneOf<T extends string>(col: string, values: readonly T[], fallback?: T): T {
    const v = fallback === undefined ? this.req(col) : (this.opt(col) ?? fallback);
    if (v && !values.includes(v as T)) this.faults.push(`${col}: 应为 one of ${values.join(", ")}`);
    return v as T;
  }

  number(col: string, required = false): number | undefined {
    const v = required ? this.req(col) : this.opt(col);
    if (v === undefined || v === "") return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) this.faults.push(`${col}: 应为数字 not a number: ${v}`);
    return n;
  }

  date(col: string, required = false): string | undefined {
    const v = required ? this.req(col) : this.opt(col);
    if (v && !/^\d{4}-\d{2}-\d{2}$/.test(v)) this.faults.push(`${col}: 日期格式 YYYY-MM-DD`);
    return v || undefined;
  }

  /**
   * A time: "YYYY-MM-DD HH:mm" (China Standard Time, as officials write it), ISO 8601 with an
   * offset, or ms since the epoch. Returns ms.
   */
  time(col: string, required = false): number | undefined {
    const v = required ? this.req(col) : this.opt(col);
    if (!v) return undefined;
    let ms: number;
    if (/^\d{12,14}$/.test(v)) ms = Number(v);
    else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(v)) ms = Date.parse(v.replace(" ", "T") + "+08:00");
    else ms = Date.parse(v);
    if (!Number.isFinite(ms)) {
      this.faults.push(`${col}: 时间格式 like 2026-12-08 06:00`);
      return undefined;
    }
    return ms;
  }

  /** A list in one cell: separated by ';', '|' or '、'. */
  list(col: string): string[] {
    return (this.opt(col) ?? "").split(/[;|、]/).map((s) => s.trim()).filter(Boolean);
  }

  /** @throws RowFaults when any cell was faulty. */
  done<T>(value: T): T {
    if (this.faults.length) throw new RowFaults(this.faults);
    return value;
  }
}

/**
 * Maps a file's header to column ids: the id, or the column's Chinese or English label, any case.
 * Returns the faults of the header (unknown or missing required columns).
 */
export function mapHeader(header: string[], columns: readonly Column[], ignored: readonly Column[] = []): { ids: (string | null)[]; faults: string[] } {
  const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");
  const byName = new Map<string, string>();
  for (const col of columns) for (const n of [col.id, col.zh, col.en]) byName.set(norm(n), col.id);
  // Columns an export adds (status, registering department) read back without complaint and are not imported.
  const skip = new Set(ignored.flatMap((col) => [col.id, col.zh, col.en].map(norm)));
  const ids = header.map((h) => byName.get(norm(h)) ?? null);
  const faults: string[] = [];
  header.forEach((h, i) => {
    if (ids[i] === null && h.trim() && !skip.has(norm(h))) faults.push(`未知列 unknown column "${h}"`);
  });
  for (const col of columns) if (col.required && !ids.includes(col.id)) faults.push(`缺少必填列 missing column ${col.id} (${col.zh})`);
  return { ids, faults };
}
