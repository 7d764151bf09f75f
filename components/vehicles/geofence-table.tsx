"use client";
/** Geofences on the ledger: list with their rules; traffic police supervisors draw them on the map, import GeoJSON and retire fences. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorText, QueryState } from "@/components/ui/query-state";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { GeofenceDrawer } from "./geofence-drawer";
import { VEHICLE_STRINGS } from "./strings";

interface Fence {
  id: string;
  name: string;
  kind: string;
  status: string;
  shape: { type: string };
  speedLimitKmh?: number;
  schedule?: { start: string; end: string };
  classes?: string[];
}

export function GeofenceTable({ canDefine }: { canDefine: boolean }) {
  const { locale, t } = useI18n();
  const s = VEHICLE_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const fences = useQuery(trpc.geofences.list.queryOptions());
  const [geojson, setGeojson] = useState("");
  const [parseError, setParseError] = useState<string | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: trpc.geofences.list.queryKey() });
  const importer = useMutation(trpc.geofences.importGeoJson.mutationOptions({ onSuccess: () => (setGeojson(""), refresh()) }));
  const retire = useMutation(trpc.geofences.retire.mutationOptions({ onSuccess: refresh }));
  return (
    <div className="stack">
      <QueryState isLoading={fences.isLoading} error={fences.error}>
        <div className="panel table-wrap">
          <table data-testid="geofence-table">
            <thead>
              <tr>
                <th>{s.geofence.name}</th>
                <th>{s.geofence.kind}</th>
                <th className="hide-sm">{s.geofence.shape}</th>
                <th>{s.geofence.rules}</th>
                <th>{s.geofence.status}</th>
                {canDefine ? <th>{t.common.actions}</th> : null}
              </tr>
            </thead>
            <tbody>
              {((fences.data ?? []) as unknown as Fence[]).map((f) => (
                <tr key={f.id}>
                  <td>
                    <Link href={`/explorer/record?ns=geofence&key=${encodeURIComponent(f.id)}`}>{f.name}</Link>
                    <div className="panel-hint mono">{f.id}</div>
                  </td>
                  <td>{s.geofence.kinds[f.kind] ?? f.kind}</td>
                  <td className="hide-sm">{s.geofence.shapes[f.shape.type] ?? f.shape.type}</td>
                  <td className="panel-hint">
                    {[
                      f.speedLimitKmh ? `${s.geofence.speedLimit} ${f.speedLimitKmh} km/h` : null,
                      f.schedule ? `${s.geofence.schedule} ${f.schedule.start}–${f.schedule.end}` : null,
                      `${s.geofence.appliesTo} ${f.classes?.length ? f.classes.map((c) => s.classes[c] ?? c).join("、") : s.geofence.allVehicles}`,
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                  </td>
                  <td>{f.status === "active" ? <span className="badge ok">{s.geofence.active}</span> : <span className="badge">{s.geofence.retired}</span>}</td>
                  {canDefine ? (
                    <td>
                      {f.status === "active" ? (
                        <button
                          type="button"
                          className="btn btn-danger btn-sm"
                          disabled={retire.isPending}
                          onClick={() => {
                            const reason = window.prompt(s.geofence.retireReason);
                            if (reason) retire.mutate({ id: f.id, reason });
                          }}
                        >
                          {s.geofence.retire}
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </QueryState>
      {canDefine ? <GeofenceDrawer fences={(fences.data ?? []) as never} /> : null}
      {canDefine ? (
        <form
          className="panel panel-body stack"
          onSubmit={(e) => {
            e.preventDefault();
            setParseError(null);
            try {
              const fc = JSON.parse(geojson) as { features?: unknown };
              importer.mutate({ features: (fc.features ?? []) as never });
            } catch {
              setParseError("GeoJSON: invalid JSON");
            }
          }}
        >
          <label className="field">
            <span>{s.geofence.import}</span>
            <textarea className="input mono" rows={5} placeholder={s.geofence.importHint} value={geojson} onChange={(e) => setGeojson(e.target.value)} />
          </label>
          <div className="row">
            <button className="btn btn-sm" type="submit" disabled={!geojson.trim() || importer.isPending}>
              {s.geofence.import}
            </button>
            {importer.isSuccess ? <span className="badge ok">{s.geofence.importDone}</span> : null}
          </div>
          {parseError || importer.error ? <div className="notice bad">{parseError ?? errorText(importer.error, t)}</div> : null}
        </form>
      ) : null}
    </div>
  );
}
