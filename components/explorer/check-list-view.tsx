/** The named checks of a verification (receipt, consistency), each ticked or crossed with why. */
import type { CheckReport } from "@/chain/check-list";

export function CheckListView({ checks, labels, itemTestId }: { checks: CheckReport["checks"]; labels?: Record<string, string>; itemTestId?: string }) {
  return (
    <ul className="checks" style={{ marginTop: 8 }}>
      {checks.map((c) => (
        <li key={c.name} data-testid={itemTestId} data-ok={c.ok}>
          <span className={`check-mark ${c.ok ? "ok" : "bad"}`}>{c.ok ? "✓" : "✗"}</span>
          <span>
            {labels?.[c.name] ?? c.name}
            {c.detail ? <span className="panel-hint"> — {c.detail}</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}
