"use client";
/**
 * Track replay: a vehicle's positions over a period on the offline city map, with a time slider
 * (and play), its alarms, and whether every position batch still matches its Merkle root anchored
 * on the ledger.
 */
import { PathLayer, ScatterplotLayer } from "@deck.gl/layers";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { CityMap, type Bounds } from "@/components/map";
import { QueryState } from "@/components/ui/query-state";
import { formatTime } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import type { MileageRecord } from "@/chain/contracts/vehicles";
import type { Locale } from "@/lib/i18n/locale";
import { VEHICLE_STRINGS } from "./strings";

const HOUR = 3600_000;
const toLocalInput = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 16);
const fromLocalInput = (v: string) => Date.parse(`${v}:00+08:00`);

export function TrackReplay({ plate, at }: { plate: string; at?: number }) {
  const { locale, t } = useI18n();
  const s = VEHICLE_STRINGS[locale];
  const trpc = useTRPC();
  const [range, setRange] = useState(() => {
    const centre = at ?? Date.now();
    return { from: centre - (at ? 0.5 : 1) * HOUR, to: at ? centre + 0.5 * HOUR : centre + 60_000 };
  });
  const [draft, setDraft] = useState({ from: toLocalInput(range.from), to: toLocalInput(range.to) });
  const info = useQuery(trpc.vehicles.get.queryOptions({ plate }));
  const track = useQuery(trpc.vehicles.track.queryOptions({ plate, ...range }));
  const points = track.data?.points ?? [];
  const [cursor, setCursor] = useState(0);
  const [playing, setPlaying] = useState(false);

  useEffect(() => setCursor(points.length ? points.length - 1 : 0), [points.length]);
  useEffect(() => {
    if (!playing) return;
    const id = setInterval(() => setCursor((c) => (c + 1 < points.length ? c + 1 : (setPlaying(false), c))), 120);
    return () => clearInterval(id);
  }, [playing, points.length]);

  const path = useMemo(() => points.map((p) => [p.lon, p.lat] as [number, number]), [points]);
  const here = points[cursor];
  const layers = useMemo(
    () => [
      new PathLayer({ id: "track-all", data: path.length > 1 ? [{ path }] : [], getPath: (d: { path: [number, number][] }) => d.path, getColor: [120, 130, 150, 160], getWidth: 4, widthUnits: "pixels" }),
      new PathLayer({ id: "track-done", data: cursor > 0 ? [{ path: path.slice(0, cursor + 1) }] : [], getPath: (d: { path: [number, number][] }) => d.path, getColor: [24, 100, 200, 255], getWidth: 5, widthUnits: "pixels" }),
      new ScatterplotLayer({
        id: "track-alarms",
        data: (track.data?.alarms ?? []).filter((a) => a.lon !== undefined),
        getPosition: (a: { lon?: number; lat?: number }) => [a.lon!, a.lat!],
        getFillColor: [210, 40, 40, 230],
        getRadius: 9,
        radiusUnits: "pixels",
        stroked: true,
        getLineColor: [255, 255, 255, 255],
        lineWidthMinPixels: 2,
        pickable: true,
      }),
      new ScatterplotLayer({ id: "track-here", data: here ? [here] : [], getPosition: (p: { lon: number; lat: number }) => [p.lon, p.lat], getFillColor: [255, 160, 0, 255], getRadius: 8, radiusUnits: "pixels", stroked: true, getLineColor: [20, 20, 20, 255], lineWidthMinPixels: 2 }),
    ],
    [path, cursor, here, track.data?.alarms],
  );
  const bounds = useMemo((): Bounds | undefined => {
    if (!path.length) return undefined;
    const xs = path.map((p) => p[0]);
    const ys = path.map((p) => p[1]);
    const pad = 0.002;
    return [
      [Math.min(...xs) - pad, Math.min(...ys) - pad],
      [Math.max(...xs) + pad, Math.max(...ys) + pad],
    ];
  }, [path]);

  return (
    <div className="stack">
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          setRange({ from: fromLocalInput(draft.from), to: fromLocalInput(draft.to) });
        }}
      >
        <label className="row">
          {s.replay.from}
          <input className="input" type="datetime-local" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label className="row">
          {s.replay.to}
          <input className="input" type="datetime-local" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <button className="btn btn-sm" type="submit">
          {s.replay.load}
        </button>
      </form>
      <QueryState isLoading={track.isLoading} error={track.error}>
        {track.data ? (
          <>
            <div className={track.data.tampered ? "notice bad" : "notice ok"} data-testid="replay-integrity">
              {points.length} {s.replay.points} · {track.data.tampered ? `${track.data.tampered} ${s.replay.tampered}` : s.replay.verified}
            </div>
            <div className="panel" style={{ height: "min(60vh, 520px)", overflow: "hidden" }}>
              <CityMap layers={layers} fit={bounds ?? "futian"} locale={locale} testId="replay-map" />
            </div>
            {points.length ? (
              <div className="panel panel-body stack" style={{ gap: 8 }}>
                <div className="row">
                  <button type="button" className="btn btn-sm" onClick={() => (cursor >= points.length - 1 && setCursor(0), setPlaying(!playing))} data-testid="replay-play">
                    {playing ? s.replay.pause : s.replay.play}
                  </button>
                  <input
                    type="range"
                    min={0}
                    max={points.length - 1}
                    value={cursor}
                    onChange={(e) => setCursor(Number(e.target.value))}
                    style={{ flex: 1, minWidth: 160 }}
                    aria-label="time"
                    data-testid="replay-slider"
                  />
                </div>
                {here ? (
                  <div className="panel-hint" data-testid="replay-now">
                    {formatTime(here.ts, locale)} · {here.speedKmh.toFixed(1)} km/h · {here.lon.toFixed(5)}, {here.lat.toFixed(5)}
                  </div>
                ) : null}
              </div>
            ) : (
              <div className="empty">{s.replay.none}</div>
            )}
            {track.data.alarms.length ? (
              <div className="panel">
                <ul className="list">
                  {track.data.alarms.map((a) => (
                    <li key={a.id}>
                      <span className={a.severity === "critical" ? "badge bad" : "badge warn"}>{s.types[a.type] ?? a.type}</span>
                      <span className="grow">
                        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setCursor(Math.max(0, points.findIndex((p) => p.ts >= a.at)))}>
                          {formatTime(a.at, locale)}
                        </button>
                      </span>
                      <Link href={`/explorer/record?ns=alarm&key=${encodeURIComponent(a.id)}`} className="meta">
                        {s.alarm.history}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </>
        ) : null}
      </QueryState>
      <QueryState isLoading={info.isLoading} error={info.error}>
        {info.data ? (
          <div className="panel panel-body">
            <dl className="kv">
              <dt>{s.vehicle.cls}</dt>
              <dd>{s.classes[String((info.data.vehicle as { cls: string }).cls)]}</dd>
              <dt>{s.vehicle.company}</dt>
              <dd>{String((info.data.vehicle as { company: string }).company)}</dd>
              <dt>{s.vehicle.terminal}</dt>
              <dd className="mono">{String((info.data.vehicle as { terminal: string }).terminal)}</dd>
              <dt>{s.replay.mileage}</dt>
              <dd data-testid="vehicle-mileage">{info.data.mileage ? <MileageView m={info.data.mileage as unknown as MileageRecord} locale={locale} /> : "—"}</dd>
              <dt>{s.replay.permits}</dt>
              <dd>{info.data.permits.length ? info.data.permits.map((p) => (p as { id: string }).id).join(", ") : "—"}</dd>
              <dt>{s.replay.ledger}</dt>
              <dd>
                <Link href={`/explorer/record?ns=vehicle&key=${encodeURIComponent(plate)}`}>
                  {info.data.history.length} · {t.common.viewInExplorer}
                </Link>
              </dd>
            </dl>
          </div>
        ) : null}
      </QueryState>
    </div>
  );
}

/** The vehicle's odometer on the ledger: latest reading, how many, GPS distance, and every rollback or divergence flagged. */
function MileageView({ m, locale }: { m: MileageRecord; locale: Locale }) {
  const s = VEHICLE_STRINGS[locale];
  return (
    <div className="stack" style={{ gap: 4 }}>
      <span>
        {m.odometerKm} km <span className="panel-hint">{s.replay.mileageDetail(m.readings, m.gpsKm ?? 0)}</span>
      </span>
      {m.flags?.length ? (
        m.flags.map((f) => (
          <span key={f.seq} className="badge bad" data-flag={f.kind ?? "rollback"}>
            {s.replay.mileageFlags[f.kind ?? "rollback"]}: {f.from} → {f.to} km{f.gpsKm !== undefined ? ` (GPS ${f.gpsKm} km)` : ""} · {formatTime(f.at, locale)}
          </span>
        ))
      ) : (
        <span className="badge ok">{s.replay.mileageClean}</span>
      )}
    </div>
  );
}
