"use client";
/**
 * The crew's phone view: their department's units, the chosen unit's task, big status buttons
 * (only the transitions the ledger allows from the current status) and the navigation line.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { UNIT_TRANSITIONS, type UnitStatus } from "@/chain/contracts/dispatch";
import { CityMap, type Bounds } from "@/components/map";
import { errorText, QueryState } from "@/components/ui/query-state";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { dispatchLayers } from "./map-layers";
import { DISPATCH_STRINGS, formatDuration } from "./strings";

export function UnitTerminal() {
  const { locale, t } = useI18n();
  const s = DISPATCH_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const mine = useQuery({ ...trpc.dispatch.myUnits.queryOptions(), refetchInterval: 3000 });
  const [chosen, setChosen] = useState<string | null>(null);
  const unit = mine.data?.find((u) => u.id === chosen) ?? mine.data?.find((u) => u.incident) ?? mine.data?.[0];
  const incident = useQuery({ ...trpc.dispatch.incident.queryOptions({ id: unit?.incident ?? "inc-none" }), enabled: !!unit?.incident, refetchInterval: 5000 });
  const route = useQuery({ ...trpc.dispatch.route.queryOptions({ unit: unit?.id ?? "none" }), enabled: !!unit?.incident, refetchInterval: 10_000 });
  const status = useMutation(trpc.dispatch.status.mutationOptions({ onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.dispatch.pathKey() }) }));

  const inc = unit?.incident ? incident.data : undefined;
  const path = route.data?.path as [number, number][] | undefined;
  const layers = useMemo(
    () =>
      dispatchLayers({
        units: unit ? [unit] : [],
        incidents: inc ? [{ id: inc.id, lon: inc.lon, lat: inc.lat, status: inc.status, overdue: inc.overdue }] : [],
        routes: path ? [{ id: "nav", path }] : [],
      }),
    [unit, inc, path],
  );
  const bounds = useMemo((): Bounds | "futian" => {
    const pts: [number, number][] = path ?? (unit ? [[unit.lon, unit.lat]] : []);
    if (!pts.length) return "futian";
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const pad = 0.004;
    return [
      [Math.min(...xs) - pad, Math.min(...ys) - pad],
      [Math.max(...xs) + pad, Math.max(...ys) + pad],
    ];
  }, [path, unit]);
  const next = unit ? UNIT_TRANSITIONS[unit.status as UnitStatus].filter((x) => x !== "dispatched") : [];

  return (
    <QueryState isLoading={mine.isLoading} error={mine.error}>
      {!mine.data?.length ? (
        <div className="empty">{s.noMyUnits}</div>
      ) : (
        <div className="stack" style={{ gap: 12 }} data-testid="unit-terminal">
          <label className="field">
            <span>{s.myUnits}</span>
            <select className="input" value={unit?.id ?? ""} onChange={(e) => setChosen(e.target.value)} data-testid="unit-select">
              {mine.data.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} · {s.unitStatuses[u.status]}
                </option>
              ))}
            </select>
          </label>
          {unit ? (
            <>
              <div className="panel panel-body" data-testid="unit-card" data-unit={unit.id} data-status={unit.status}>
                <div className="row">
                  <strong>{unit.name}</strong>
                  <span className="spacer" />
                  <span className="badge blue" data-testid="unit-status">
                    {s.unitStatuses[unit.status]}
                  </span>
                </div>
                <div className="panel-hint">
                  {s.unitKinds[unit.kind]} · {s.station}: {unit.station.name} · {unit.positionSource === "live" ? s.live : s.atStation}
                </div>
              </div>
              <div className="panel panel-body" data-testid="unit-task">
                <strong>{s.currentTask}</strong>
                {inc ? (
                  <div className="stack" style={{ gap: 4 }}>
                    <div>
                      {s.types[inc.type]} · <span className="badge bad">{s.severities[inc.severity]}</span>
                    </div>
                    <div>{inc.address}</div>
                    {inc.notes ? <div className="panel-hint">{inc.notes}</div> : null}
                    {route.data ? (
                      <div className="panel-hint" data-testid="unit-route">
                        {s.navigation}: {(route.data.roadM / 1000).toFixed(1)} km · {s.eta} {formatDuration(route.data.etaS)}
                      </div>
                    ) : null}
                  </div>
                ) : (
                  <div className="panel-hint">{s.noTask}</div>
                )}
              </div>
              <div className="stack" style={{ gap: 8 }}>
                {next.map((st) => (
                  <button
                    key={st}
                    type="button"
                    className={st === "out_of_service" || st === "available" ? "btn btn-ghost" : "btn"}
                    style={{ minHeight: 52, fontSize: 17 }}
                    disabled={status.isPending}
                    onClick={() => status.mutate({ unit: unit.id, status: st })}
                    data-testid={`unit-action-${st}`}
                  >
                    {st === "available" && unit.status === "dispatched" ? s.cancelDispatch : (s.unitActions[st] ?? st)}
                  </button>
                ))}
              </div>
              {status.error ? (
                <div className="notice bad" role="alert">
                  {errorText(status.error, t)}
                </div>
              ) : null}
              <div className="panel" style={{ height: 320, overflow: "hidden" }}>
                <CityMap layers={layers} fit={bounds} locale={locale} theme="light" testId="unit-map" />
              </div>
            </>
          ) : null}
        </div>
      )}
    </QueryState>
  );
}
