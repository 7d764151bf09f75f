"use client";
/** Ledger head, node count and transaction count, refreshed every few seconds. */
import { useQuery } from "@tanstack/react-query";
import { Panel } from "@/components/ui/panel";
import { QueryState } from "@/components/ui/query-state";
import { formatNumber, formatTime } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";

export function LedgerStatus() {
  const trpc = useTRPC();
  const { t, locale } = useI18n();
  const q = useQuery({ ...trpc.portal.status.queryOptions(), refetchInterval: 5_000 });
  const s = q.data;
  return (
    <Panel title={t.home.ledger} hint={s ? <><span className="live-dot" />{s.chainName}</> : undefined} flush testId="ledger-status">
      <QueryState isLoading={q.isLoading} error={q.error}>
        {s ? (
          <div className="stats">
            <div className="stat">
              <div className="stat-label">{t.home.height}</div>
              <div className="stat-value" data-testid="ledger-height">{formatNumber(s.height, locale)}</div>
            </div>
            <div className="stat">
              <div className="stat-label">{t.home.txCount}</div>
              <div className="stat-value">{formatNumber(s.txCount, locale)}</div>
            </div>
            <div className="stat">
              <div className="stat-label">{t.home.nodes}</div>
              <div className="stat-value">
                {s.nodeCount} <span className="panel-hint">· {t.home.quorum} {s.quorum}</span>
              </div>
            </div>
            <div className="stat">
              <div className="stat-label">{t.home.lastBlock}</div>
              <div className="stat-value small">{formatTime(s.lastBlockTime, locale)}</div>
            </div>
          </div>
        ) : null}
        {s ? (
          <ul className="list" style={{ borderTop: "1px solid var(--line)" }} data-testid="node-list">
            {s.nodes.map((n) => (
              <li key={n.id}>
                <span className={n.status === "active" ? "badge ok" : "badge bad"}>{n.status === "active" ? t.common.active : n.status}</span>
                <div className="grow">
                  <div className="ellipsis">{n.name}</div>
                  <div className="meta mono">
                    {n.id} · {n.region}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        ) : null}
      </QueryState>
    </Panel>
  );
}
