"use client";
/**
 * History consistency between two heights: the proof comes from the server, and is checked here with
 * chain/consistency.ts against the node keys and quorum this portal runs with (explorer.nodePin), like
 * receipts; the bundle's own keys never decide.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { verifyConsistencyBundle, type ConsistencyBundle, type ConsistencyCheck } from "@/chain/consistency";
import { nobleSuite } from "@/chain/signature";
import { Panel } from "@/components/ui/panel";
import { CheckListView } from "./check-list-view";
import { errorText } from "@/components/ui/query-state";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";

export function ConsistencyPanel() {
  const { t } = useI18n();
  const c = t.explorer.consistency;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [from, setFrom] = useState("0");
  const [to, setTo] = useState("1");
  const [busy, setBusy] = useState(false);
  const [bundle, setBundle] = useState<ConsistencyBundle | null>(null);
  const [result, setResult] = useState<ConsistencyCheck | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function prove(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    setBundle(null);
    try {
      const input = { from: Number(from), to: Number(to) };
      const [b, pin] = await Promise.all([
        queryClient.fetchQuery(trpc.explorer.consistency.queryOptions(input)),
        queryClient.fetchQuery(trpc.explorer.nodePin.queryOptions()),
      ]);
      const typed = b as unknown as ConsistencyBundle;
      setBundle(typed);
      setResult(verifyConsistencyBundle(nobleSuite, typed, pin));
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel title={c.title} hint={t.explorer.pinned} testId="consistency-panel">
      <div className="stack" style={{ gap: 12 }}>
        <form className="row" onSubmit={prove}>
          <input className="input" type="number" min={0} value={from} onChange={(e) => setFrom(e.target.value)} aria-label={c.from} placeholder={c.from} data-testid="consistency-from" />
          <input className="input" type="number" min={0} value={to} onChange={(e) => setTo(e.target.value)} aria-label={c.to} placeholder={c.to} data-testid="consistency-to" />
          <button type="submit" className="btn" disabled={busy} data-testid="consistency-prove">
            {busy ? t.explorer.verifying : c.prove}
          </button>
        </form>
        {error ? (
          <div className="notice bad" role="alert">
            {errorText(error, t)}
          </div>
        ) : null}
        {result ? (
          <div className={result.ok ? "notice ok" : "notice bad"} data-testid="consistency-result" data-ok={result.ok}>
            <strong>{result.ok ? `✓ ${c.consistent}` : `✗ ${c.inconsistent}`}</strong>
            <CheckListView checks={result.checks} />
          </div>
        ) : null}
        {bundle ? (
          <dl className="kv" data-testid="consistency-proof">
            <dt>{t.explorer.block} {bundle.from.header.height}</dt>
            <dd className="mono break">{bundle.from.hash}</dd>
            <dt>{t.explorer.block} {bundle.to.header.height}</dt>
            <dd className="mono break">{bundle.to.hash}</dd>
            <dt>{t.explorer.historyRoot}</dt>
            <dd className="mono break">{bundle.from.header.historyRoot} → {bundle.to.header.historyRoot}</dd>
            <dt>{c.proof}</dt>
            <dd className="mono break">{bundle.proof.length ? bundle.proof.map((p) => <div key={p}>{p}</div>) : "—"}</dd>
            <dt>{c.inclusion}</dt>
            <dd className="mono break">{bundle.fromInclusion.length ? bundle.fromInclusion.map((p) => <div key={p}>{p}</div>) : "—"}</dd>
          </dl>
        ) : null}
      </div>
    </Panel>
  );
}
