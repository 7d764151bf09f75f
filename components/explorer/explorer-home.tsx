"use client";
/** Explorer landing: lookup, latest blocks (paged) and latest transactions. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { Panel } from "@/components/ui/panel";
import { QueryState } from "@/components/ui/query-state";
import { formatTime, shortHash } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { ExplorerLookup } from "./explorer-lookup";
import { TxList } from "./tx-list";

const PAGE = 15;

export function ExplorerHome() {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const [before, setBefore] = useState<number[]>([]);
  const cursor = before[before.length - 1];
  const blocks = useQuery({ ...trpc.explorer.blocks.queryOptions({ limit: PAGE, before: cursor }), refetchInterval: cursor === undefined ? 5_000 : false });
  const txs = useQuery({ ...trpc.explorer.latestTxs.queryOptions({ limit: 15 }), refetchInterval: 5_000 });
  const last = blocks.data?.[blocks.data.length - 1];
  return (
    <div className="stack">
      <ExplorerLookup />
      <div className="row">
        <Link href="/explorer/consistency" className="btn btn-ghost btn-sm" data-testid="consistency-link">
          {t.explorer.consistency.nav}
        </Link>
      </div>
      <div className="grid grid-home">
        <Panel title={t.explorer.txs} flush testId="latest-txs">
          <QueryState isLoading={txs.isLoading} error={txs.error}>
            {txs.data ? <TxList txs={txs.data} /> : null}
          </QueryState>
        </Panel>
        <Panel
          title={t.explorer.blocks}
          flush
          testId="block-list"
          actions={
            <>
              <button type="button" className="btn btn-ghost btn-sm" disabled={before.length === 0} onClick={() => setBefore((b) => b.slice(0, -1))}>
                {t.explorer.newer}
              </button>
              <button type="button" className="btn btn-ghost btn-sm" disabled={!last || last.height === 0 || (blocks.data?.length ?? 0) < PAGE} onClick={() => last && setBefore((b) => [...b, last.height])}>
                {t.explorer.older}
              </button>
            </>
          }
        >
          <QueryState isLoading={blocks.isLoading} error={blocks.error}>
            <ul className="list">
              {blocks.data?.map((b) => (
                <li key={b.height}>
                  <Link href={`/explorer/block/${b.height}`} className="badge blue" style={{ minWidth: 48, justifyContent: "center" }}>
                    #{b.height}
                  </Link>
                  <div className="grow">
                    <div className="mono ellipsis" title={b.hash}>
                      {shortHash(b.hash, 12, 8)}
                    </div>
                    <div className="meta">
                      {formatTime(b.time, locale)} · {b.txCount} {t.explorer.txCount}
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          </QueryState>
        </Panel>
      </div>
    </div>
  );
}
