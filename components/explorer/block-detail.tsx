"use client";
/** One block: header fields, node signatures, signed batches and its transactions. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { HashText } from "@/components/ui/hash-text";
import { Panel } from "@/components/ui/panel";
import { QueryState } from "@/components/ui/query-state";
import { formatTime } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { TxList } from "./tx-list";

export function BlockDetail({ height }: { height: number }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.explorer.block.queryOptions({ height }));
  const b = q.data;
  return (
    <QueryState isLoading={q.isLoading} error={q.error}>
      {b ? (
        <div className="stack">
          <Panel
            title={`${t.explorer.block} #${b.height}`}
            actions={
              <>
                {b.height > 0 ? (
                  <Link className="btn btn-ghost btn-sm" href={`/explorer/block/${b.height - 1}`}>
                    ← #{b.height - 1}
                  </Link>
                ) : null}
                <Link className="btn btn-ghost btn-sm" href={`/explorer/block/${b.height + 1}`}>
                  #{b.height + 1} →
                </Link>
              </>
            }
          >
            <dl className="kv" data-testid="block-header">
              <dt>{t.explorer.hash}</dt>
              <dd>
                <HashText hash={b.hash} full />
              </dd>
              <dt>{t.explorer.prev}</dt>
              <dd>{b.height > 0 ? <HashText hash={b.header.prev} href={`/explorer/block/${b.height - 1}`} full /> : <span className="mono break">{b.header.prev}</span>}</dd>
              <dt>{t.explorer.time}</dt>
              <dd>{formatTime(b.header.time, locale)}</dd>
              <dt>{t.explorer.txCount}</dt>
              <dd>{b.header.txCount}</dd>
              <dt>{t.explorer.firstSeq}</dt>
              <dd>{b.header.firstSeq}</dd>
              <dt>{t.explorer.txRoot}</dt>
              <dd className="mono break">{b.header.txRoot}</dd>
              <dt>{t.explorer.historyRoot}</dt>
              <dd className="mono break">{b.header.historyRoot}</dd>
              <dt>{t.explorer.writesRoot}</dt>
              <dd className="mono break">{b.header.writesRoot}</dd>
              <dt>{t.explorer.proposer}</dt>
              <dd className="mono">{b.header.proposer}</dd>
              <dt>{t.explorer.signatures}</dt>
              <dd>
                {b.signatures.map((s) => (
                  <div key={s.signer} className="row" style={{ flexWrap: "nowrap" }}>
                    <span className="badge ok">{s.signer}</span>
                    <span className="mono ellipsis" title={s.signature}>
                      {s.signature.slice(0, 32)}…
                    </span>
                  </div>
                ))}
              </dd>
              <dt>{t.explorer.batches}</dt>
              <dd>
                <div className="row">
                  {b.batches.map((x, i) => (
                    <span key={i} className="badge outline">
                      <span className="mono">{x.signer}</span> × {x.txCount}
                    </span>
                  ))}
                </div>
              </dd>
            </dl>
          </Panel>
          <Panel title={t.explorer.txs} flush>
            <TxList txs={b.txs} showBlock={false} />
          </Panel>
        </div>
      ) : null}
    </QueryState>
  );
}
