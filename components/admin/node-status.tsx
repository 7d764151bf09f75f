"use client";
/**
 * Ledger nodes as this node sees them: itself, its peers (online, height, final height, lag, signing),
 * a peer whose stored history differs from the quorum-signed chain (named with the height), and
 * forged signatures refused. Refreshes every 2 s.
 */
import { useQuery } from "@tanstack/react-query";
import { QueryState } from "@/components/ui/query-state";
import { formatTime } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";

const STRINGS = {
  "zh-CN": {
    mode: { single: "单节点（内置排序）", cluster: "多节点（NATS JetStream 排序）" },
    thisNode: "本节点",
    node: "节点",
    region: "地区",
    state: "状态",
    height: "区块高度",
    final: "最终确认高度",
    lag: "落后",
    signing: "签名",
    lastSig: "最近签名",
    quorum: "法定签名数",
    stream: "排序流",
    online: "在线",
    offline: "离线",
    signs: "签名中",
    refuses: "已停签",
    agrees: "一致",
    differs: (h: number, how: string) => `第 ${h} 块与共识不一致（${how === "stored rows" ? "存储数据" : "签名"}）`,
    selfProblem: (h: number, p: string) => `本节点第 ${h} 块存储数据与共识不一致：${p}。修复前本节点不签名。`,
    rejected: "已拒绝的签名",
    noRejected: "无",
    blocks: "块",
    none: "暂无其他节点",
  },
  en: {
    mode: { single: "Single node (in-process orderer)", cluster: "Multi-node (NATS JetStream ordering)" },
    thisNode: "this node",
    node: "Node",
    region: "Region",
    state: "State",
    height: "Height",
    final: "Final height",
    lag: "Lag",
    signing: "Signing",
    lastSig: "Last signature",
    quorum: "Quorum",
    stream: "Order stream",
    online: "online",
    offline: "offline",
    signs: "signs",
    refuses: "stopped signing",
    agrees: "agrees",
    differs: (h: number, how: string) => `differs from the quorum at block ${h} (${how === "stored rows" ? "stored rows" : "signature"})`,
    selfProblem: (h: number, p: string) => `This node's stored block ${h} differs from the quorum: ${p}. It does not sign until repaired.`,
    rejected: "Refused signatures",
    noRejected: "none",
    blocks: "blocks",
    none: "no other nodes",
  },
};

export function NodeStatus() {
  const { locale } = useI18n();
  const s = STRINGS[locale];
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.nodes.status.queryOptions(), refetchInterval: 2000 });
  const d = q.data;
  return (
    <QueryState isLoading={q.isLoading} error={q.error}>
      {d && (
        <div className="grid" style={{ display: "grid", gap: 16 }} data-testid="node-status" data-mode={d.mode}>
          {d.selfProblem && (
            <div className="panel panel-body" style={{ borderColor: "var(--bad)", color: "var(--bad)" }} data-testid="node-self-problem">
              {s.selfProblem(d.selfProblem.height, d.selfProblem.problem)}
            </div>
          )}
          <div className="panel">
            <div className="stats" style={{ gridTemplateColumns: "repeat(auto-fit, minmax(140px, 1fr))" }}>
              <Stat label={s.thisNode} value={`${d.name} (${d.node})`} small />
              <Stat label={s.height} value={String(d.height)} />
              <Stat label={s.final} value={String(d.finalHeight)} testId="node-final" />
              <Stat label={s.quorum} value={`${d.quorum} / ${d.peers.length + 1}`} />
              <Stat label={s.stream} value={d.mode === "cluster" ? `#${d.orderedThrough} / #${d.streamLast}` : "—"} small />
              <Stat label={s.state} value={s.mode[d.mode]} small />
            </div>
          </div>
          <div className="panel table-wrap">
            <table data-testid="node-table">
              <thead>
                <tr>
                  <th>{s.node}</th>
                  <th>{s.region}</th>
                  <th>{s.state}</th>
                  <th>{s.height}</th>
                  <th className="hide-sm">{s.final}</th>
                  <th>{s.lag}</th>
                  <th>{s.signing}</th>
                  <th className="hide-sm">{s.lastSig}</th>
                </tr>
              </thead>
              <tbody>
                <tr data-node={d.node}>
                  <td>
                    <b>{d.node}</b> <span className="badge blue">{s.thisNode}</span>
                  </td>
                  <td>{d.region}</td>
                  <td>
                    <span className={`badge ${d.connected ? "ok" : "bad"}`}>{d.connected ? s.online : s.offline}</span>
                  </td>
                  <td className="num">{d.height}</td>
                  <td className="num hide-sm">{d.finalHeight}</td>
                  <td className="num">{d.lag}</td>
                  <td>
                    <span className={`badge ${d.signing ? "ok" : "bad"}`}>{d.signing ? s.signs : s.refuses}</span>
                  </td>
                  <td className="hide-sm">{formatTime(d.lastSignatureAt, locale)}</td>
                </tr>
                {d.peers.map((p) => (
                  <tr key={p.id} data-node={p.id} data-divergent={p.divergence ? p.divergence.height : undefined}>
                    <td>
                      <b>{p.id}</b>
                      {p.divergence && (
                        <div className="badge bad" style={{ marginTop: 4, whiteSpace: "normal" }} data-testid="node-divergence">
                          {s.differs(p.divergence.height, p.divergence.how)}
                        </div>
                      )}
                    </td>
                    <td>{p.region}</td>
                    <td>
                      <span className={`badge ${p.online ? "ok" : "bad"}`}>{p.online ? s.online : s.offline}</span>
                    </td>
                    <td className="num">{p.height < 0 ? "—" : p.height}</td>
                    <td className="num hide-sm">{p.finalHeight < 0 ? "—" : p.finalHeight}</td>
                    <td className="num">
                      {p.lag} {s.blocks}
                    </td>
                    <td>
                      <span className={`badge ${p.signing ? "ok" : "bad"}`}>{p.signing ? s.signs : s.refuses}</span>
                    </td>
                    <td className="hide-sm">{formatTime(p.lastSignatureAt, locale)}</td>
                  </tr>
                ))}
                {d.peers.length === 0 && (
                  <tr>
                    <td colSpan={8} className="empty">
                      {s.none}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <div className="panel">
            <div className="panel-head">
              <h2>{s.rejected}</h2>
            </div>
            <ul className="list" data-testid="node-rejected">
              {d.rejectedSignatures.length === 0 && <li className="meta">{s.noRejected}</li>}
              {d.rejectedSignatures.map((r, i) => (
                <li key={i}>
                  <span className="badge bad">{r.reason}</span>
                  <span className="grow">
                    {r.signer} · #{r.height}
                  </span>
                  <span className="meta">{formatTime(r.at, locale)}</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      )}
    </QueryState>
  );
}

function Stat({ label, value, small, testId }: { label: string; value: string; small?: boolean; testId?: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className={`stat-value${small ? " small" : ""}`} data-testid={testId}>
        {value}
      </div>
    </div>
  );
}
