/** Removes secrets (password credentials) from ledger values before they leave the server. */
import type { Json } from "../../chain/encoding";

const SECRET_FIELDS = new Set(["credential"]);
export const REDACTED = "[redacted]";

export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redactSecrets) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELDS.has(k) ? REDACTED : redactSecrets(v);
    return out as T;
  }
  return value;
}

/** True when a transaction's canonical text carries a secret field (its receipt then does too). */
export function carriesSecret(text: string): boolean {
  try {
    const body = JSON.parse(text) as { payload?: Json };
    const p = body.payload;
    return !!p && typeof p === "object" && !Array.isArray(p) && [...SECRET_FIELDS].some((f) => f in p);
  } catch {
    return false;
  }
}
