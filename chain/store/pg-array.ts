/**
 * PostgreSQL array literals built directly, for the ledger's set-based statements (`$n::text[]`).
 * Both drivers pass a string parameter through untouched, and the element-wise conversion they
 * would otherwise do (quote and escape every element) was a measured share of each block's commit.
 * Elements that need no quoting (hashes, ids, numbers) go in bare; others are quoted and escaped.
 */

/** Characters that force quoting in an array element (PostgreSQL docs, "Array Value Input"). */
const NEEDS_QUOTES = /[{}",\\\s]/;

function element(s: string): string {
  if (s === "" || NEEDS_QUOTES.test(s) || (s.length === 4 && s.toLowerCase() === "null")) {
    return '"' + s.replace(/\\/g, "\\\\").replace(/"/g, '\\"') + '"';
  }
  return s;
}

/** `{a,b,"c d"}` for text[]; no nulls. */
export function textArray(values: readonly string[]): string {
  // join, not +=: one flat string rather than a rope the driver must flatten when it encodes it.
  return "{" + values.map(element).join(",") + "}";
}

/** `{1,2,3}` for int[] / bigint[]; integers only. */
export function intArray(values: readonly number[]): string {
  for (const v of values) if (!Number.isSafeInteger(v)) throw new TypeError(`not an integer: ${v}`);
  return `{${values.join(",")}}`;
}

/**
 * Many canonical JSON texts as one newline-separated parameter, for `string_to_array($n, chr(10))`.
 * Canonical JSON is never empty and never holds a raw newline (JSON escapes every control character),
 * so the split is exact, and it skips the quoting and escaping a JSON text needs as an array element
 * (every one has quotes), on both sides: the bodies and values of a block are most of its bytes.
 * Not re-checked here (a scan of every byte, measured): a text that broke the rule would split into
 * a different count, and unnest would pad the other columns with NULLs that their NOT NULL refuses,
 * failing the whole statement rather than misplacing a row.
 */
export function jsonLines(texts: readonly string[]): string {
  return texts.join("\n");
}

/** `{1,NULL,3}` for a nullable int[] / smallint[]. */
export function nullableIntArray(values: readonly (number | null)[]): string {
  return `{${values.map((v) => (v === null ? "NULL" : String(Math.trunc(v)))).join(",")}}`;
}
