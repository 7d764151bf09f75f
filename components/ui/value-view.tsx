/** Renders any ledger value as labelled fields (nested objects as nested lists): never raw JSON. */
import type { ReactNode } from "react";

type Value = unknown;

function scalar(v: Value): ReactNode {
  if (v === null || v === undefined) return <span className="panel-hint">—</span>;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string" && /^[0-9a-f]{64,}$/.test(v)) return <span className="mono break">{v}</span>;
  return <span className="break">{String(v)}</span>;
}

export function ValueView({ value, labels }: { value: Value; labels?: Record<string, string> }) {
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="panel-hint">—</span>;
    return (
      <ol style={{ margin: 0, paddingLeft: 18 }}>
        {value.map((v, i) => (
          <li key={i}>
            <ValueView value={v} labels={labels} />
          </li>
        ))}
      </ol>
    );
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, Value>);
    if (entries.length === 0) return <span className="panel-hint">—</span>;
    return (
      <dl className="kv">
        {entries.map(([k, v]) => (
          <div key={k} style={{ display: "contents" }}>
            <dt>{labels?.[k] ?? k}</dt>
            <dd>
              <ValueView value={v} labels={labels} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <>{scalar(value)}</>;
}
