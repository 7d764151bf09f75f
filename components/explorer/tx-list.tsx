"use client";
/** A list of transactions (latest, a block's, or a record's history). */
import Link from "next/link";
import type { RouterOutputs } from "@/server/api/root";
import { formatShortTime, formatTime, shortHash } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";

type Tx = RouterOutputs["explorer"]["latestTxs"][number];

export function TxList({ txs, showBlock = true }: { txs: Tx[]; showBlock?: boolean }) {
  const { t, locale } = useI18n();
  if (txs.length === 0) return <div className="empty">{t.common.none}</div>;
  return (
    <div className="table-wrap">
      <table data-testid="tx-list">
        <thead>
          <tr>
            <th>{t.explorer.seq}</th>
            <th>{t.explorer.hash}</th>
            <th>{t.explorer.type}</th>
            <th className="hide-sm">{t.explorer.subject}</th>
            <th className="hide-sm">{t.explorer.actor}</th>
            {showBlock ? <th className="hide-sm">{t.explorer.block}</th> : null}
            <th className="hide-sm">{t.explorer.time}</th>
          </tr>
        </thead>
        <tbody>
          {txs.map((tx) => (
            <tr key={tx.hash}>
              <td className="num">{tx.seq}</td>
              <td>
                <Link className="mono" href={`/explorer/tx/${tx.hash}`} title={tx.hash}>
                  {shortHash(tx.hash, 8, 4)}
                </Link>
              </td>
              <td>
                <span className="badge blue">{t.txTypes[tx.type] ?? tx.type}</span>
              </td>
              <td className="hide-sm" style={{ maxWidth: 240 }}>
                <div className="ellipsis" title={tx.subject}>
                  {tx.subject || "—"}
                </div>
              </td>
              <td className="hide-sm mono">{tx.actor}</td>
              {showBlock ? (
                <td className="hide-sm">
                  <Link href={`/explorer/block/${tx.height}`}>#{tx.height}</Link>
                </td>
              ) : null}
              <td className="hide-sm" style={{ whiteSpace: "nowrap" }} title={formatTime(tx.ts, locale)}>
                {formatShortTime(tx.ts, locale)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
