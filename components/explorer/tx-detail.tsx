"use client";
/** One transaction: decoded body (secrets redacted), signer, block, inclusion proof, receipt and verify. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import Link from "next/link";
import { HashText } from "@/components/ui/hash-text";
import { Panel } from "@/components/ui/panel";
import { QueryState } from "@/components/ui/query-state";
import { ValueView, WithheldChip } from "@/components/ui/value-view";
import { formatTime } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { ReceiptPanel } from "./receipt-panel";
import { RevealPanel, type Revealed } from "./reveal-panel";

type Purpose = string | { withheld: true; reason: string } | null;

/** Which record a transaction type writes, for the "history" link. */
function recordOf(type: string, payload: Record<string, unknown> | null): { ns: string; key: string } | null {
  const ns = type.split(".")[0];
  if (!payload) return null;
  if (["user", "dept", "key"].includes(ns) && typeof payload.id === "string") return { ns, key: payload.id };
  if (ns === "rule" && typeof payload.name === "string") return { ns, key: payload.name };
  if (ns === "file" && typeof payload.fileHash === "string") return { ns: "anchor", key: payload.fileHash };
  return null;
}

export function TxDetail({ hash }: { hash: string }) {
  const { t, locale } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.explorer.tx.queryOptions({ hash }));
  const d = q.data;
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const payload = (revealed?.value ?? d?.tx.payload ?? null) as Record<string, unknown> | null;
  const purpose = (revealed ? revealed.purpose : (d?.tx.purpose ?? null)) as Purpose;
  const record = d ? recordOf(d.tx.type, payload) : null;
  return (
    <QueryState isLoading={q.isLoading} error={q.error}>
      {d ? (
        <div className="grid grid-home">
          <div className="stack">
            <Panel title={<>{t.explorer.tx} <span className="badge blue">{t.txTypes[d.tx.type] ?? d.tx.type}</span></>} testId="tx-detail">
              <dl className="kv">
                <dt>{t.explorer.hash}</dt>
                <dd>
                  <HashText hash={d.tx.hash} full />
                </dd>
                <dt>{t.explorer.type}</dt>
                <dd className="mono" data-testid="tx-type">
                  {d.tx.type} <span className="panel-hint">v{d.tx.version}</span>
                </dd>
                <dt>{t.explorer.seq}</dt>
                <dd>
                  {d.tx.seq} <span className="panel-hint">({t.explorer.block} #{d.tx.height}, {t.explorer.proofIndex} {d.tx.idx})</span>
                </dd>
                <dt>{t.explorer.dept}</dt>
                <dd className="mono">{d.tx.dept}</dd>
                <dt>{t.explorer.actor}</dt>
                <dd className="mono" data-testid="tx-actor">
                  {d.tx.actor}
                </dd>
                <dt>{t.explorer.time}</dt>
                <dd>{formatTime(d.tx.ts, locale)}</dd>
                <dt>{t.explorer.purpose}</dt>
                <dd data-testid="tx-purpose">{purpose && typeof purpose === "object" ? <WithheldChip reason={purpose.reason} label={t.explorer.withheld} /> : (purpose ?? "—")}</dd>
                <dt>{t.explorer.nonce}</dt>
                <dd className="mono break">{d.tx.nonce}</dd>
                {record ? (
                  <>
                    <dt>{t.explorer.history}</dt>
                    <dd>
                      <Link href={`/explorer/record?ns=${record.ns}&key=${encodeURIComponent(record.key)}`} data-testid="record-link">
                        {record.ns} / {record.key}
                      </Link>
                    </dd>
                  </>
                ) : null}
              </dl>
            </Panel>
            <Panel title={t.explorer.payload} testId="tx-payload">
              {payload ? <ValueView value={payload} labels={t.fields} withheldLabel={t.explorer.withheld} /> : <span className="mono break">{d.tx.payloadHash}</span>}
              {d.tx.revealable ? (
                <div style={{ marginTop: 12 }}>
                  <RevealPanel target={{ kind: "tx", hash: d.tx.hash }} onRevealed={setRevealed} />
                </div>
              ) : null}
            </Panel>
            <Panel title={t.explorer.proof} hint="RFC 6962">
              <dl className="kv">
                <dt>{t.explorer.proofIndex}</dt>
                <dd>{d.proof.index}</dd>
                <dt>{t.explorer.proofSize}</dt>
                <dd>{d.proof.size}</dd>
                <dt>{t.explorer.root}</dt>
                <dd className="mono break">{d.proof.root}</dd>
                <dt>{t.explorer.proofPath}</dt>
                <dd>
                  {d.proof.path.length === 0 ? (
                    <span className="panel-hint">—</span>
                  ) : (
                    <ol style={{ margin: 0, paddingLeft: 18 }}>
                      {d.proof.path.map((p, i) => (
                        <li key={i} className="mono break">
                          {p}
                        </li>
                      ))}
                    </ol>
                  )}
                </dd>
              </dl>
            </Panel>
          </div>
          <div className="stack">
            <ReceiptPanel hash={d.tx.hash} restricted={d.receiptRestricted} reason={d.receiptReason === "credential" ? null : d.receiptReason} />
            <Panel title={t.explorer.block}>
              <dl className="kv">
                <dt>{t.explorer.height}</dt>
                <dd>
                  <Link href={`/explorer/block/${d.block.height}`} data-testid="tx-block-link">
                    #{d.block.height}
                  </Link>
                </dd>
                <dt>{t.explorer.hash}</dt>
                <dd>
                  <HashText hash={d.block.hash} />
                </dd>
                <dt>{t.explorer.time}</dt>
                <dd>{formatTime(d.block.time, locale)}</dd>
                <dt>{t.explorer.signatures}</dt>
                <dd>
                  {d.block.signatures.map((s) => (
                    <span key={s.signer} className="badge ok">
                      {s.signer}
                    </span>
                  ))}
                </dd>
              </dl>
            </Panel>
            <Panel title={t.explorer.signer}>
              <dl className="kv">
                <dt>ID</dt>
                <dd className="mono">{d.signer.id}</dd>
                <dt>{t.explorer.signerDept}</dt>
                <dd className="mono">{d.signer.dept || "—"}</dd>
                <dt>{t.explorer.publicKey}</dt>
                <dd>{d.signer.publicKey ? <HashText hash={d.signer.publicKey} /> : "—"}</dd>
                <dt>{t.explorer.batches}</dt>
                <dd>
                  {d.batch.txCount} {t.explorer.txCount}
                </dd>
              </dl>
            </Panel>
          </div>
        </div>
      ) : null}
    </QueryState>
  );
}
