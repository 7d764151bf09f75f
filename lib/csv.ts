/**
 * CSV as spreadsheets write it (RFC 4180): comma-separated, fields with commas, quotes or line
 * breaks quoted, quotes doubled, CRLF or LF, an optional UTF-8 BOM (Excel adds one). Pure and
 * browser-safe: the import preview parses in the page, the server parses again before it writes.
 */

export class CsvError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "CsvError";
  }
}

/** Rows of cells. Blank lines are skipped. @throws CsvError on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  let i = 0;
  const endRow = () => {
    row.push(cell);
    if (row.length > 1 || row[0] !== "") rows.push(row);
    row = [];
    cell = "";
  };
  while (i < src.length) {
    const c = src[i];
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (c === "\n") line++;
      cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === "") {
      quoted = true;
      quoteLine = line;
      i++;
    } else if (c === ",") {
      row.push(cell);
      cell = "";
      i++;
    } else if (c === "\r" || c === "\n") {
      endRow();
      line++;
      i += c === "\r" && src[i + 1] === "\n" ? 2 : 1;
    } else {
      cell += c;
      i++;
    }
  }
  if (quoted) throw new CsvError(`第 ${quoteLine} 行引号未闭合 unterminated quote starting on line ${quoteLine}`, quoteLine);
  if (cell !== "" || row.length) endRow();
  return rows;
}

/**
 * One CSV cell. A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the
 * start) gets a leading apostrophe: an exported registry must not execute anything when opened.
 */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV document with a header row; CRLF line ends and a BOM, so Excel opens UTF-8 Chinese correctly. */
export function toCsv(columns: string[], rows: Record<string, unknown>[]): string {
  const lines = [columns.map(csvCell).join(","), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(","))];
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

/** Rows as objects keyed by the header row's (trimmed) names. */
export function csvRecords(text: string): { columns: string[]; records: Record<string, string>[] } {
  const [head, ...body] = parseCsv(text);
  if (!head) return { columns: [], records: [] };
  const columns = head.map((h) => h.trim());
  return { columns, records: body.map((cells) => Object.fromEntries(columns.map((c, i) => [c, (cells[i] ?? "").trim()]))) };
}
