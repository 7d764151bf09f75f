"use client";
/**
 * The dispatcher's console (desktop): the map of units and incidents, call intake, alarms to
 * escalate, the list of active incidents with their SLA state, and the selected incident's panel.
 */
import type { PickingInfo } from "@deck.gl/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { CityMap } from "@/components/map";
import { Panel } from "@/components/ui/panel";
import { errorText, QueryState } from "@/components/ui/query-state";
import { formatTime } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { VEHICLE_STRINGS } from "@/components/vehicles/strings";
import { IncidentPanel } from "./incident-panel";
import { IntakeForm } from "./intake-form";
import { SlaEditor } from "./sla-editor";
import { dispatchLayers } from "./map-layers";
import { DISPATCH_STRINGS } from "./strings";

const ESCALATE_TYPES = ["traffic_accident", "hazmat_spill", "fire", "medical", "public_security"] as const;

/** A clock for running timers, ticking every second. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function DispatchConsole({ canWork, canSetSla, initialIncident = null }: { canWork: boolean; canSetSla: boolean; initialIncident?: string | null }) {
  const { locale, t } = useI18n();
  const s = DISPATCH_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const now = useNow();
  const [selected, setSelected] = useState<string | null>(initialIncident);
  const [picked, setPicked] = useState<[number, number] | null>(null);
  const [escType, setEscType] = useState<(typeof ESCALATE_TYPES)[number]>("traffic_accident");
  const units = useQuery({ ...trpc.dispatch.units.queryOptions(), refetchInterval: 3000 });
  const incidents = useQuery({ ...trpc.dispatch.incidents.queryOptions({ status: "active", limit: 100 }), refetchInterval: 3000 });
  const alarms = useQuery({ ...trpc.dispatch.escalatable.queryOptions(), enabled: canWork, refetchInterval: 5000 });
  const escalate = useMutation(
    trpc.dispatch.escalate.mutationOptions({
      onSuccess: (r) => {
        void qc.invalidateQueries({ queryKey: trpc.dispatch.pathKey() });
        setSelected(r.id);
      },
    }),
  );

  const layers = useMemo(
    () =>
      dispatchLayers({
        units: units.data ?? [],
        incidents: (incidents.data ?? []).map((i) => ({ id: i.id, lon: i.lon, lat: i.lat, status: i.status, overdue: i.overdue })),
        selected,
        picked,
      }),
    [units.data, incidents.data, selected, picked],
  );
  const onMapClick = (info: PickingInfo) => {
    const obj = info.object as { id?: string; status?: string } | undefined;
    if (info.layer?.id === "dispatch-incidents" && obj?.id) return setSelected(obj.id);
    if (canWork && info.coordinate) setPicked([Math.round(info.coordinate[0] * 1e6) / 1e6, Math.round(info.coordinate[1] * 1e6) / 1e6]);
  };
  const tooltip = (info: PickingInfo) => {
    const o = info.object as { name?: string; status?: string; id?: string; address?: string } | undefined;
    if (!o) return null;
    if (info.layer?.id === "dispatch-units") return `${o.name} · ${s.unitStatuses[o.status!] ?? o.status}`;
    return o.id ?? null;
  };
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const u of units.data ?? []) c[u.status] = (c[u.status] ?? 0) + 1;
    return c;
  }, [units.data]);

  return (
    <div className="grid" style={{ gridTemplateColumns: "minmax(0, 1.35fr) minmax(360px, 1fr)", alignItems: "start" }} data-testid="dispatch-console">
      <div className="stack">
        <div className="panel" style={{ height: "min(62vh, 620px)", overflow: "hidden" }}>
          <CityMap layers={layers} fit="futian" locale={locale} onClick={onMapClick} getTooltip={tooltip} theme="light" testId="dispatch-map" />
        </div>
        <div className="row panel-hint" data-testid="unit-counts">
          {Object.entries(counts).map(([st, n]) => (
            <span key={st} className="badge outline">
              {s.unitStatuses[st] ?? st} {n}
            </span>
          ))}
          <span className="spacer" />
          {s.refreshing}
        </div>
        <Panel title={s.incidents} hint={incidents.data ? String(incidents.data.length) : undefined} testId="incident-list">
          <QueryState isLoading={incidents.isLoading} error={incidents.error}>
            {incidents.data?.length ? (
              <div className="table-wrap">
                <table className="table">
                  <thead>
                    <tr>
                      <th>{s.opened}</th>
                      <th>{s.type}</th>
                      <th>{s.landmark}</th>
                      <th>{s.lead}</th>
                      <th>{s.timers}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {incidents.data.map((i) => (
                      <tr key={i.id} data-testid={`incident-${i.id}`} data-overdue={i.overdue ? "true" : "false"} onClick={() => setSelected(i.id)} style={{ cursor: "pointer", background: i.id === selected ? "var(--blue-soft)" : undefined }}>
                        <td className="nowrap">{formatTime(i.openedAt, locale).slice(-8)}</td>
                        <td>
                          {s.types[i.type]} <span className="panel-hint">{s.severities[i.severity]}</span>
                        </td>
                        <td>{i.address}</td>
                        <td>{s.bureaus[i.lead] ?? i.lead}</td>
                        <td>
                          <span className={i.overdue ? "badge bad" : "badge ok"}>{i.overdue ? s.overdue : s.statuses[i.status]}</span>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <div className="empty">{s.noIncidents}</div>
            )}
          </QueryState>
        </Panel>
      </div>
      <div className="stack">
        {selected ? (
          <Panel title={selected} actions={<button type="button" className="btn btn-ghost btn-sm" onClick={() => setSelected(null)}>×</button>}>
            <IncidentPanel key={selected} id={selected} canWork={canWork} now={now} />
          </Panel>
        ) : (
          <div className="notice info">{s.select}</div>
        )}
        {canWork ? (
          <Panel title={s.intake}>
            <IntakeForm picked={picked} onPick={setPicked} onCreated={setSelected} />
          </Panel>
        ) : null}
        {canWork ? (
          <Panel title={s.escalateTitle} testId="escalatable">
            <div className="row" style={{ marginBottom: 8 }}>
              <label className="row">
                {s.type}
                <select className="input" value={escType} onChange={(e) => setEscType(e.target.value as never)} data-testid="escalate-type">
                  {ESCALATE_TYPES.map((x) => (
                    <option key={x} value={x}>
                      {s.types[x]}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <QueryState isLoading={alarms.isLoading} error={alarms.error}>
              {alarms.data?.length ? (
                <ul className="list">
                  {alarms.data.slice(0, 12).map((a) => (
                    <li key={a.id} className="row" data-testid={`escalatable-${a.id}`}>
                      <span className="badge warn">{VEHICLE_STRINGS[locale].types[a.type as keyof (typeof VEHICLE_STRINGS)["zh-CN"]["types"]] ?? a.type}</span>
                      <span>{a.plate}</span>
                      <span className="panel-hint">{formatTime(a.at, locale).slice(-8)}</span>
                      <span className="spacer" />
                      <button type="button" className="btn btn-sm" disabled={escalate.isPending} onClick={() => escalate.mutate({ alarm: a.id, type: escType, severity: a.severity === "critical" ? "critical" : "high", notes: a.detail ?? "" })} data-testid="escalate">
                        {s.escalate}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <div className="empty">{s.noAlarms}</div>
              )}
              {escalate.error ? <div className="notice bad">{errorText(escalate.error, t)}</div> : null}
            </QueryState>
          </Panel>
        ) : null}
        <Panel title={s.slaTitle} testId="sla-panel">
          <SlaEditor canSet={canSetSla} />
        </Panel>
      </div>
    </div>
  );
}
