"use client";
/**
 * Drawing a geofence on the city map: polygon (click the vertices, double-click, tap "finish" or
 * click the first vertex to close), circle (click the centre, then the edge, or type the radius),
 * corridor (click the route, then finish; width in metres). A live preview follows the pointer;
 * the form names the fence and its rules, and `geofences.define` puts it on the ledger.
 * Mouse and touch alike: maplibre reports taps as clicks.
 */
import type { Layer } from "@deck.gl/core";
import { PathLayer, PolygonLayer } from "@deck.gl/layers";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import type * as maplibregl from "maplibre-gl";
import { useEffect, useMemo, useRef, useState } from "react";
import { VEHICLE_CLASSES, type GeofenceDef } from "@/chain/contracts/geofence-schema";
import { circleRing } from "@/components/bigscreen/fleet-layers";
import { CityMap } from "@/components/map";
import { errorText } from "@/components/ui/query-state";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { addPoint, draftLayers, draftShape, emptyDraft, finish, MIN_POINTS, undo, type Draft, type DrawMode, type LonLat } from "./geofence-draft";
import { VEHICLE_STRINGS } from "./strings";

type Kind = GeofenceDef["kind"];
const KINDS: Kind[] = ["restricted", "danger_zone", "key_area", "hazmat_corridor"];
/** Clicking within this many pixels of the first vertex closes a polygon; of the last one, is ignored (double-click). */
const SNAP_PX = 10;

interface ExistingFence {
  id: string;
  status: string;
  shape: { type: "polygon"; coordinates: number[][][] } | { type: "circle"; center: number[]; radiusM: number } | { type: "corridor"; path: number[][]; widthM: number };
}

function existingLayers(fences: ExistingFence[]): Layer[] {
  const active = fences.filter((f) => f.status === "active");
  const rings = active.flatMap((f) => (f.shape.type === "polygon" ? [f.shape.coordinates[0]] : f.shape.type === "circle" ? [circleRing(f.shape.center, f.shape.radiusM)] : []));
  const routes = active.flatMap((f) => (f.shape.type === "corridor" ? [f.shape] : []));
  return [
    new PolygonLayer({ id: "fences", data: rings, getPolygon: (r: number[][]) => r as [number, number][], getFillColor: [230, 60, 80, 30], getLineColor: [230, 60, 80, 160], lineWidthUnits: "pixels", getLineWidth: 1.5 }),
    new PathLayer({ id: "fence-corridors", data: routes, getPath: (c: { path: number[][] }) => c.path as [number, number][], getWidth: (c: { widthM: number }) => c.widthM, widthUnits: "meters", widthMinPixels: 2, getColor: [230, 160, 0, 70] }),
  ];
}

/** Shenzhen wall-clock "HH:MM" strings for a schedule. */
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export function GeofenceDrawer({ fences }: { fences: ExistingFence[] }) {
  const { locale, t } = useI18n();
  const s = VEHICLE_STRINGS[locale].draw;
  const g = VEHICLE_STRINGS[locale].geofence;
  const classNames = VEHICLE_STRINGS[locale].classes;
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Draft>(emptyDraft("polygon"));
  const [hover, setHover] = useState<LonLat | null>(null);
  const [form, setForm] = useState({ id: "", name: "", kind: "restricted" as Kind, classes: [] as string[], speed: "", scheduled: false, start: "22:00", end: "06:00" });
  const [formError, setFormError] = useState<string | null>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const draftRef = useRef(draft);
  draftRef.current = draft;

  const define = useMutation(
    trpc.geofences.define.mutationOptions({
      onSuccess: () => {
        setDraft(emptyDraft(draftRef.current.mode));
        void qc.invalidateQueries({ queryKey: trpc.geofences.list.queryKey() });
      },
    }),
  );

  // Map events: clicks add points, a double-click finishes, the pointer drives the preview.
  const onLoad = (map: maplibregl.Map) => {
    mapRef.current = map;
    map.doubleClickZoom.disable();
    map.getCanvas().style.cursor = "crosshair";
    const near = (a: LonLat, e: maplibregl.MapMouseEvent) => {
      const p = map.project(a);
      return Math.hypot(p.x - e.point.x, p.y - e.point.y) <= SNAP_PX;
    };
    map.on("click", (e) => {
      const d = draftRef.current;
      if (d.finished) return;
      const at: LonLat = [e.lngLat.lng, e.lngLat.lat];
      if (d.mode !== "circle" && d.points.length && near(d.points[d.points.length - 1], e)) return;
      if (d.mode === "polygon" && d.points.length >= MIN_POINTS.polygon && near(d.points[0], e)) return setDraft(finish(d));
      setDraft(addPoint(d, at));
    });
    map.on("dblclick", (e) => {
      e.preventDefault();
      setDraft((d) => (d.mode === "circle" ? d : finish(d)));
    });
    map.on("mousemove", (e) => setHover([e.lngLat.lng, e.lngLat.lat]));
    map.on("mouseout", () => setHover(null));
  };
  useEffect(() => () => void (mapRef.current = null), []);

  // The ledger's fences change rarely; the draft follows the pointer.
  const fenceLayers = useMemo(() => existingLayers(fences), [fences]);
  const layers = useMemo(() => [...fenceLayers, ...draftLayers(draft, hover)], [fenceLayers, draft, hover]);
  const shape = draftShape(draft);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    if (!shape) return setFormError(s.incomplete);
    const speed = form.speed.trim() ? Number(form.speed) : undefined;
    if (speed !== undefined && !(speed > 0 && speed <= 200)) return setFormError(s.badSpeed);
    if (form.scheduled && (!HHMM.test(form.start) || !HHMM.test(form.end) || form.start === form.end)) return setFormError(s.badSchedule);
    // Rules left empty are left out (the ledger takes plain JSON, no undefined).
    define.mutate({
      id: form.id.trim(),
      name: form.name.trim(),
      kind: form.kind,
      shape,
      ...(form.classes.length ? { classes: form.classes as GeofenceDef["classes"] } : {}),
      ...(speed !== undefined ? { speedLimitKmh: speed } : {}),
      ...(form.scheduled ? { schedule: { start: form.start, end: form.end } } : {}),
    });
  };

  const setMode = (mode: DrawMode) => setDraft(emptyDraft(mode));
  const hint = draft.finished ? s.hints.done : s.hints[draft.mode];

  return (
    <div className="panel panel-body stack" data-testid="geofence-drawer">
      <div className="row">
        <strong>{s.title}</strong>
        <div className="tabs" role="tablist" style={{ marginBottom: 0 }}>
          {(["polygon", "circle", "corridor"] as const).map((m) => (
            <button key={m} type="button" role="tab" className="tab" aria-selected={draft.mode === m} onClick={() => setMode(m)} data-testid={`draw-${m}`}>
              {g.shapes[m]}
            </button>
          ))}
        </div>
      </div>
      <p className="panel-hint" data-testid="draw-hint">
        {hint}
      </p>
      <div className="panel" style={{ height: "min(55vh, 460px)", overflow: "hidden", touchAction: "none" }}>
        <CityMap layers={layers} fit="futian" locale={locale} theme="light" onLoad={onLoad} testId="geofence-map" />
      </div>
      <div className="row">
        <span className="badge outline mono" data-testid="draw-points" data-points={JSON.stringify(draft.points)} data-finished={draft.finished ? "true" : "false"}>
          {draft.points.length} {s.points}
          {draft.finished ? ` · ${s.closed}` : ""}
        </span>
        <button type="button" className="btn btn-sm" disabled={draft.finished || draft.mode === "circle" || draft.points.length < MIN_POINTS[draft.mode]} onClick={() => setDraft(finish(draft))} data-testid="draw-finish">
          {s.finish}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" disabled={!draft.points.length} onClick={() => setDraft(undo(draft))} data-testid="draw-undo">
          {s.undo}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" disabled={!draft.points.length} onClick={() => setDraft(emptyDraft(draft.mode))} data-testid="draw-clear">
          {s.clear}
        </button>
        {draft.mode === "circle" && draft.points.length ? (
          <label className="row">
            <span>{s.radius}</span>
            <input
              className="input"
              style={{ width: 110 }}
              type="number"
              min={1}
              max={50000}
              value={draft.radiusM}
              onChange={(e) => setDraft({ ...draft, radiusM: Math.max(1, Number(e.target.value) || 1), finished: true })}
              data-testid="draw-radius"
            />
          </label>
        ) : null}
        {draft.mode === "corridor" ? (
          <label className="row">
            <span>{s.width}</span>
            <input className="input" style={{ width: 110 }} type="number" min={1} max={5000} value={draft.widthM} onChange={(e) => setDraft({ ...draft, widthM: Math.max(1, Number(e.target.value) || 1) })} data-testid="draw-width" />
          </label>
        ) : null}
      </div>
      <form className="stack" onSubmit={submit}>
        <div className="grid grid-2">
          <label className="field">
            <span>{g.name}</span>
            <input className="input" required maxLength={100} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="fence-name" />
          </label>
          <label className="field">
            <span>{s.id}</span>
            <input className="input mono" required pattern="[a-z0-9][a-z0-9._\-]{0,63}" title={s.idHint} placeholder="futian-night-zone" value={form.id} onChange={(e) => setForm({ ...form, id: e.target.value })} data-testid="fence-id" />
          </label>
          <label className="field">
            <span>{g.kind}</span>
            <select className="input" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as Kind })} data-testid="fence-kind">
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {g.kinds[k]}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{g.speedLimit} (km/h)</span>
            <input className="input" type="number" min={1} max={200} value={form.speed} onChange={(e) => setForm({ ...form, speed: e.target.value })} data-testid="fence-speed" />
          </label>
        </div>
        <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }}>
          <span>{g.appliesTo}</span>
          {VEHICLE_CLASSES.map((c) => (
            <label key={c} className="row" style={{ gap: 4 }}>
              <input
                type="checkbox"
                checked={form.classes.includes(c)}
                onChange={(e) => setForm({ ...form, classes: e.target.checked ? [...form.classes, c] : form.classes.filter((x) => x !== c) })}
                data-testid={`fence-class-${c}`}
              />
              {classNames[c]}
            </label>
          ))}
          <span className="panel-hint">{s.noClassesHint}</span>
        </fieldset>
        <div className="row">
          <label className="row" style={{ gap: 4 }}>
            <input type="checkbox" checked={form.scheduled} onChange={(e) => setForm({ ...form, scheduled: e.target.checked })} data-testid="fence-scheduled" />
            {s.scheduled}
          </label>
          {form.scheduled ? (
            <>
              <input className="input" style={{ width: 120 }} type="time" value={form.start} onChange={(e) => setForm({ ...form, start: e.target.value })} data-testid="fence-start" />
              <span>–</span>
              <input className="input" style={{ width: 120 }} type="time" value={form.end} onChange={(e) => setForm({ ...form, end: e.target.value })} data-testid="fence-end" />
              <span className="panel-hint">{s.scheduleHint}</span>
            </>
          ) : null}
        </div>
        <div className="row">
          <button className="btn btn-sm" type="submit" disabled={!shape || define.isPending} data-testid="fence-submit">
            {s.submit}
          </button>
          {define.isSuccess ? (
            <span className="badge ok" data-testid="fence-defined">
              {s.defined} · <Link href={`/explorer/record?ns=geofence&key=${encodeURIComponent(define.variables?.id ?? "")}`}>{s.onLedger}</Link>
            </span>
          ) : null}
        </div>
        {formError || define.error ? <div className="notice bad">{formError ?? errorText(define.error, t)}</div> : null}
      </form>
    </div>
  );
}
