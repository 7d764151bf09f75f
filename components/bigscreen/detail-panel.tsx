"use client";
/** Details of a clicked vehicle or alarm, with its ledger history (and the explorer link for those allowed). */
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc/react";
import type { BigscreenStrings } from "./strings";

export type Selection = { kind: "vehicle"; plate: string } | { kind: "alarm"; id: string };

const fmt = (ts: number) => new Date(ts + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");

function History({ txs, ns, recordKey, canExplore, t }: { txs: { hash: string; type: string; height: number; ts: number; actor: string }[]; ns: string; recordKey: string; canExplore: boolean; t: BigscreenStrings }) {
  return (
    <div className="bs-detail-history">
      <h4>{t.history}</h4>
      <ol>
        {txs.slice(0, 6).map((x) => (
          <li key={x.hash}>
            <span className="mono">{x.type}</span> · {t.block} #{x.height} · {fmt(x.ts)} · <span className="mono">{x.hash.slice(0, 12)}…</span>
          </li>
        ))}
      </ol>
      {canExplore ? (
        <a href={`/explorer/record?ns=${ns}&key=${encodeURIComponent(recordKey)}`} data-testid="detail-history-link">
          {t.openHistory} →
        </a>
      ) : null}
    </div>
  );
}

export function DetailPanel({ selection, onClose, t, canExplore }: { selection: Selection; onClose: () => void; t: BigscreenStrings; canExplore: boolean }) {
  const trpc = useTRPC();
  const vehicle = useQuery({ ...trpc.bigscreen.vehicle.queryOptions({ plate: selection.kind === "vehicle" ? selection.plate : "--" }), enabled: selection.kind === "vehicle", refetchInterval: 5000 });
  const alarm = useQuery({ ...trpc.bigscreen.alarm.queryOptions({ id: selection.kind === "alarm" ? selection.id : "--------" }), enabled: selection.kind === "alarm" });
  const q = selection.kind === "vehicle" ? vehicle : alarm;
  return (
    <aside className="bs-detail" data-testid="bigscreen-detail">
      <header>
        <h3>
          {selection.kind === "vehicle" ? t.vehicle : t.alarm} · {selection.kind === "vehicle" ? selection.plate : selection.id}
        </h3>
        <button type="button" onClick={onClose} aria-label={t.close}>
          ×
        </button>
      </header>
      {q.isLoading ? <p className="bs-muted">…</p> : q.error ? <p className="bs-error">{q.error.message}</p> : null}
      {selection.kind === "vehicle" && vehicle.data ? (
        <>
          <dl>
            <dt>{t.plate}</dt>
            <dd>{vehicle.data.plate}</dd>
            <dt>{t.cls}</dt>
            <dd>{t.classes[vehicle.data.cls] ?? vehicle.data.cls}</dd>
            <dt>{t.company}</dt>
            <dd>{vehicle.data.companyName ?? vehicle.data.company ?? <span title={vehicle.data.withheld["vehicles.company"]}>🔒</span>}</dd>
            {vehicle.data.position ? (
              <>
                <dt>{t.speed}</dt>
                <dd>{vehicle.data.position.speedKmh.toFixed(0)} km/h</dd>
                <dt>{t.position}</dt>
                <dd className="mono">
                  {vehicle.data.position.lon.toFixed(5)}, {vehicle.data.position.lat.toFixed(5)}
                </dd>
                <dt>{t.lastPing}</dt>
                <dd>{fmt(vehicle.data.position.ts)}</dd>
              </>
            ) : null}
          </dl>
          {vehicle.data.alarms.length ? (
            <>
              <h4>{t.recentAlarms}</h4>
              <ul className="bs-detail-alarms">
                {vehicle.data.alarms.map((a) => (
                  <li key={a.id}>
                    <span className={`bs-sev bs-sev-${a.severity}`}>{t.severities[a.severity] ?? a.severity}</span> {t.alarmTypes[a.type] ?? a.type} · {fmt(a.ts)} · {t.alarmStatus[a.status] ?? a.status}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <History txs={vehicle.data.history} ns="vehicle" recordKey={vehicle.data.plate} canExplore={canExplore} t={t} />
        </>
      ) : null}
      {selection.kind === "alarm" && alarm.data ? (
        <>
          <dl>
            <dt>{t.type}</dt>
            <dd>{t.alarmTypes[alarm.data.type] ?? alarm.data.type}</dd>
            <dt>{t.severity}</dt>
            <dd>
              <span className={`bs-sev bs-sev-${alarm.data.severity}`}>{t.severities[alarm.data.severity] ?? alarm.data.severity}</span>
            </dd>
            <dt>{t.plate}</dt>
            <dd>{alarm.data.plate ?? <span title={alarm.data.withheld["alarms.subject"]}>🔒</span>}</dd>
            <dt>{t.time}</dt>
            <dd>{fmt(alarm.data.ts)}</dd>
            <dt>{t.status}</dt>
            <dd>{t.alarmStatus[alarm.data.status] ?? alarm.data.status}</dd>
            {alarm.data.geofenceName ? (
              <>
                <dt>{t.fence}</dt>
                <dd>{alarm.data.geofenceName}</dd>
              </>
            ) : null}
            {alarm.data.speedKmh !== null ? (
              <>
                <dt>{t.speed}</dt>
                <dd>
                  {alarm.data.speedKmh.toFixed(0)} km/h{alarm.data.limitKmh !== null ? ` (${t.limit} ${alarm.data.limitKmh})` : ""}
                </dd>
              </>
            ) : null}
            <dt>{t.owner}</dt>
            <dd>{alarm.data.owner}</dd>
          </dl>
          <History txs={alarm.data.history} ns="alarm" recordKey={alarm.data.id} canExplore={canExplore} t={t} />
        </>
      ) : null}
    </aside>
  );
}
