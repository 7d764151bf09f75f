/** Renders any ledger value as labelled fields (nested objects as nested lists): never raw JSON. */
import type { ReactNode } from "react";

type Value = unknown;

function scalar(v: Value): ReactNode {
  if (v === null || v === undefined) return <span className="panel-hint">—</span>;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string" && /^[0-9a-f]{64,}$/.test(v)) return <span className="mono break">{v}</span>;
  return <span className="break">{String(v)}</span>;
}

/** A field the policy withholds from the reader: the word and, on hover and for screen readers, why. */
export function WithheldChip({ reason, label = "withheld" }: { reason: string; label?: string }) {
  return (
    <span className="badge warn withheld" data-testid="withheld" title={reason}>
      🔒 {label} <span className="panel-hint">{reason}</span>
    </span>
  );
}

function isWithheld(v: Value): v is { withheld: true; reason: string } {
  return !!v && typeof v === "object" && (v as { withheld?: unknown }).withheld === true && typeof (v as { reason?: unknown }).reason === "string";
}

export function ValueView({ value, labels, withheldLabel }: { value: Value; labels?: Record<string, string>; withheldLabel?: string }) {
  if (isWithheld(value)) return <WithheldChip reason={value.reason} label={withheldLabel} />;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span className="panel-hint">—</span>;
    return (
      <ol style={{ margin: 0, paddingLeft: 18 }}>
        {value.map((v, i) => (
          <li key={i}>
            <ValueView value={v} labels={labels} withheldLabel={withheldLabel} />
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
              <ValueView value={v} labels={labels} withheldLabel={withheldLabel} />
            </dd>
          </div>
        ))}
      </dl>
    );
  }
  return <>{scalar(value)}</>;
}
