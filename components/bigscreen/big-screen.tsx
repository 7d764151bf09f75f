"use client";
/**
 * The command-centre big screen: the offline city map with live layers in the middle, ECharts
 * panels either side, KPIs and the alarm ticker. `layout` "1080" and "4k" are fixed kiosk walls
 * (4K is the 1080p design at twice the size, drawn crisply); "responsive" fits desktop, tablet and phone.
 */
import type { PickingInfo } from "@deck.gl/core";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { DispatchPanelBody, incidentLayer } from "@/components/dispatch/bigscreen-dispatch";
import { CityMap } from "@/components/map";
import { LocaleSwitch } from "@/components/shell/locale-switch";
import { useI18n } from "@/lib/i18n/client";
import { classColorCss, VEHICLE_CLASSES } from "@/lib/live/vehicle-classes";
import { useTRPC } from "@/lib/trpc/react";
import { alarmTypeOption, classOption, complianceOption, districtOption, flowOption, throughputOption } from "./chart-options";
import { DetailPanel, type Selection } from "./detail-panel";
import { EChart } from "./echart";
import { fleetLayers, trailLayer, trailTime, unitLayer, type GeofenceShape, type Trail } from "./fleet-layers";
import { MAP_LAYERS, type MapLayerName } from "./map-layer-names";
import { BIGSCREEN_STRINGS, type BigscreenStrings } from "./strings";
import { useLiveFeed, type LiveAlarm } from "./use-live-feed";

export type BigscreenLayout = "1080" | "4k" | "responsive";

function Panel({ title, children, testId, extra }: { title: string; children: ReactNode; testId: string; extra?: ReactNode }) {
  return (
    <section className="bs-panel" data-testid={testId}>
      <header>
        <h2>{title}</h2>
        {extra}
      </header>
      <div className="bs-panel-body">{children}</div>
    </section>
  );
}

function NoData({ text }: { text: string }) {
  return <div className="bs-nodata">{text}</div>;
}

const clock = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(11, 19);

export function BigScreen({
  layout,
  canExplore,
  canSeeUnits = false,
  mapLayers = MAP_LAYERS,
}: {
  layout: BigscreenLayout;
  canExplore: boolean;
  /** Whether the viewer may see emergency units (DISPATCH_VIEW): their positions are drawn on the map. */
  canSeeUnits?: boolean;
  mapLayers?: readonly MapLayerName[];
}) {
  const { locale } = useI18n();
  const t: BigscreenStrings = BIGSCREEN_STRINGS[locale];
  const s = layout === "4k" ? 2 : 1;
  const kiosk = layout !== "responsive";
  const trpc = useTRPC();
  const feed = useLiveFeed();
  const stats = useQuery({ ...trpc.bigscreen.stats.queryOptions(), refetchInterval: 10_000 });
  const nodes = useQuery({ ...trpc.nodes.summary.queryOptions(), refetchInterval: 5000 });
  const nodesFlagged = !!nodes.data?.nodes.some((n) => n.flagged || !n.online);
  const overlays = useQuery({ ...trpc.bigscreen.overlays.queryOptions({ alarms: 50 }), refetchInterval: 60_000 });
  const [selection, setSelection] = useState<Selection | null>(null);
  // 0 until mounted: the server's clock would not match the browser's (hydration).
  const [now, setNow] = useState(0);
  const units = useQuery({ ...trpc.dispatch.units.queryOptions(), enabled: canSeeUnits && mapLayers.includes("units"), refetchInterval: 10_000, retry: false });
  const trail = useRef<{ slot: number; since: number; trail: Trail }>({ slot: -1, since: 0, trail: { path: [], timestamps: [] } });
  // Animation clock of the selected vehicle's trail (seconds), ticking only while one is selected.
  const [trailClock, setTrailClock] = useState(0);

  useEffect(() => {
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);

  // Alarms: the ledger's recent ones, with those streamed since merged in front.
  const alarms: LiveAlarm[] = useMemo(() => {
    const seen = new Set(feed.alarms.map((a) => a.id));
    return [...feed.alarms, ...(overlays.data?.alarms ?? []).filter((a) => !seen.has(a.id))].sort((a, b) => b.ts - a.ts);
  }, [feed.alarms, overlays.data]);

  const selectedSlot = selection?.kind === "vehicle" ? feed.fleet.slotOf(selection.plate) : -1;
  // The selected vehicle's trail, collected from the stream since it was selected, each point with
  // its time in seconds since then (TripsLayer timestamps are 32-bit floats: small numbers).
  if (selectedSlot !== trail.current.slot) trail.current = { slot: selectedSlot, since: Date.now(), trail: { path: [], timestamps: [] } };
  if (selectedSlot >= 0) {
    const p = feed.fleet.positions;
    const pt: [number, number] = [p[2 * selectedSlot], p[2 * selectedSlot + 1]];
    const { path, timestamps } = trail.current.trail;
    const lastPt = path[path.length - 1];
    if (!lastPt || lastPt[0] !== pt[0] || lastPt[1] !== pt[1]) {
      path.push(pt);
      timestamps.push((Date.now() - trail.current.since) / 1000);
    }
  }
  useEffect(() => {
    if (selectedSlot < 0) return;
    const started = performance.now();
    const id = setInterval(() => setTrailClock((performance.now() - started) / 1000), 100);
    return () => clearInterval(id);
  }, [selectedSlot]);
  const trailPath = trail.current.trail;
  const selectedTrail = useMemo(
    () => (selectedSlot >= 0 ? trailLayer(trailPath, trailTime(trailPath, trailClock), s) : null),
    [selectedSlot, trailPath, trailPath.path.length, trailClock, s], // eslint-disable-line react-hooks/exhaustive-deps
  );

  const layers = useMemo(
    () => [
      ...fleetLayers({
        fleet: feed.fleet,
        version: feed.version,
        geofences: (overlays.data?.geofences ?? []) as GeofenceShape[],
        alarms,
        selectedSlot: selectedSlot >= 0 ? selectedSlot : null,
        selectedAlarm: selection?.kind === "alarm" ? selection.id : null,
        scale: s,
        show: { heat: mapLayers.includes("heat"), vehicles: mapLayers.includes("vehicles"), fences: mapLayers.includes("fences"), alarms: mapLayers.includes("alarms") },
        now,
      }),
      incidentLayer(stats.data?.dispatch?.incidents, s),
      unitLayer(units.data, s, mapLayers.includes("units")),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [feed.version, overlays.data, alarms, selectedSlot, selection, s, Math.floor(now / 5000), mapLayers.join(), stats.data?.dispatch, units.data],
  );
  const mapLayersWithTrail = useMemo(() => (selectedTrail ? [...layers, selectedTrail] : layers), [layers, selectedTrail]);

  // Recounted every 5 s, and at once when the first snapshot arrives (version 0 -> n).
  const onlineByClass = useMemo(() => feed.fleet.onlineByClass(VEHICLE_CLASSES.length), [feed.fleet, feed.version > 0, Math.floor(now / 5000)]); // eslint-disable-line react-hooks/exhaustive-deps
  const onlineTotal = onlineByClass.reduce((a, b) => a + b, 0);
  const d = stats.data;
  const ledger = feed.ledger ?? (d ? d.ledger : null);

  const onClick = (info: PickingInfo) => {
    if (!info.layer || info.index < 0) return;
    if (info.layer.id === "vehicles") {
      const plate = feed.fleet.plates[info.index];
      if (plate) setSelection({ kind: "vehicle", plate });
    } else if (info.layer.id === "alarms" && info.object) {
      setSelection({ kind: "alarm", id: (info.object as LiveAlarm).id });
    }
  };

  const options = useMemo(
    () => ({
      flow: d ? flowOption(d.flow, t, s) : null,
      cls: classOption(onlineByClass, t, s),
      districts: d ? districtOption(d.districtRanking, locale === "en", s) : null,
      alarmTypes: d ? alarmTypeOption(d.alarmsByType, t, s) : null,
      throughput: d ? throughputOption(d.ledger.throughput, s) : null,
      compliance: d?.rideHailing ? complianceOption(d.rideHailing.rate, s) : null,
    }),
    [d, onlineByClass, t, s, locale],
  );

  const statusLabel = feed.status === "live" ? t.live : feed.status === "stale" ? t.stale : t.connecting;

  return (
    <div
      className={`bs-root ${kiosk ? "bs-kiosk" : "bs-responsive"} ${layout === "4k" ? "bs-4k" : ""}`}
      data-testid="bigscreen"
      data-layout={layout}
      data-status={feed.status}
      data-vehicles={feed.fleet.count}
      data-version={feed.version}
      data-redraw-ms={Math.round(feed.redrawMs)}
      lang={locale}
    >
      <header className="bs-header">
        <div className="bs-title">
          <span className="bs-emblem" aria-hidden>
            深
          </span>
          <div>
            <h1>{t.title}</h1>
            <p>{t.subtitle}</p>
          </div>
        </div>
        <div className="bs-header-right">
          <span className={`bs-status bs-status-${feed.status}`} data-testid="live-status">
            <i />
            {statusLabel}
            {feed.status === "stale" && feed.lastEventAt ? ` · ${t.staleSince} ${clock(feed.lastEventAt)}` : ""}
          </span>
          {overlays.data && Object.keys(overlays.data.withheld).length ? (
            <span className="bs-status" data-testid="bigscreen-withheld" title={Object.values(overlays.data.withheld).join("\n")}>
              🔒 {t.withheld}
            </span>
          ) : null}
          <span className="bs-clock" data-testid="bigscreen-clock">
            {now ? clock(now) : ""}
          </span>
          {kiosk ? null : <LocaleSwitch />}
        </div>
      </header>

      <div className="bs-body">
        <div className="bs-col bs-left">
          <Panel title={t.byClass} testId="panel-classes">
            {onlineTotal > 0 ? <EChart option={options.cls} testId="chart-classes" /> : <NoData text={t.noData} />}
          </Panel>
          <Panel title={t.flow} testId="panel-flow" extra={<small>{t.sinceStart}</small>}>
            {options.flow && d!.flow.length > 0 ? <EChart option={options.flow} testId="chart-flow" /> : <NoData text={t.noData} />}
          </Panel>
          <Panel title={t.districts} testId="panel-districts">
            {options.districts ? <EChart option={options.districts} testId="chart-districts" /> : <NoData text={t.noData} />}
          </Panel>
        </div>

        <div className="bs-center">
          <div className="bs-kpis">
            <div className="bs-kpi" data-testid="kpi-online">
              <span>{t.online}</span>
              <b>{onlineTotal.toLocaleString()}</b>
            </div>
            <div className="bs-kpi" data-testid="kpi-alarms">
              <span>{t.alarmsToday}</span>
              <b>{d ? Math.max(d.alarmsToday, 0).toLocaleString() : "—"}</b>
            </div>
            <div className="bs-kpi bs-kpi-warn" data-testid="kpi-open">
              <span>{t.openAlarms}</span>
              <b>{d ? d.openAlarms.toLocaleString() : "—"}</b>
            </div>
            <div className="bs-kpi" data-testid="kpi-height">
              <span>{t.height}</span>
              <b>{ledger ? ledger.height.toLocaleString() : "—"}</b>
            </div>
            <div className="bs-kpi" data-testid="kpi-tx">
              <span>{t.txCount}</span>
              <b>{ledger ? ledger.txCount.toLocaleString() : "—"}</b>
            </div>
            <div className={`bs-kpi${nodesFlagged ? " bs-kpi-bad" : ""}`} data-testid="kpi-nodes" data-flagged={nodesFlagged ? "true" : "false"}>
              <span>{t.nodes}</span>
              <b>
                {nodes.data ? `${nodes.data.nodes.filter((n) => n.online).length}/${nodes.data.nodes.length}` : "—"}
                {nodes.data && <small>≥{nodes.data.quorum}</small>}
              </b>
            </div>
          </div>
          <div className="bs-map">
            <CityMap layers={mapLayersWithTrail} fit="futian" fitPadding={12 * s} labelScale={s} locale={locale} interactive={!kiosk} onClick={onClick} testId="bigscreen-map" />
            <div className="bs-legend" data-testid="map-legend">
              {VEHICLE_CLASSES.map((c, i) => (
                <span key={c}>
                  <i style={{ background: classColorCss(i) }} />
                  {t.classes[c]}
                </span>
              ))}
              <span>
                <i className="bs-legend-fence" />
                {t.geofence}
              </span>
              <span>
                <i className="bs-legend-heat" />
                {t.heat}
              </span>
            </div>
            {selection ? <DetailPanel selection={selection} onClose={() => setSelection(null)} t={t} canExplore={canExplore} /> : null}
          </div>
        </div>

        <div className="bs-col bs-right">
          <Panel title={t.ticker} testId="panel-ticker">
            <ol className="bs-ticker" data-testid="alarm-ticker">
              {alarms.length === 0 ? <li className="bs-muted">{t.noAlarms}</li> : null}
              {alarms.slice(0, 14).map((a) => (
                <li key={a.id} className={a.receivedAt && now - a.receivedAt < 15_000 ? "bs-new" : ""} data-alarm-id={a.id}>
                  <button type="button" onClick={() => setSelection({ kind: "alarm", id: a.id })}>
                    <span className="bs-time">{clock(a.ts)}</span>
                    <span className={`bs-sev bs-sev-${a.severity}`}>{t.severities[a.severity] ?? a.severity}</span>
                    <span className="bs-alarm-type">{t.alarmTypes[a.type] ?? a.type}</span>
                    <span className="bs-plate">{a.plate ?? "🔒"}</span>
                  </button>
                </li>
              ))}
            </ol>
          </Panel>
          <Panel title={t.alarmsByType} testId="panel-alarm-types">
            {options.alarmTypes && d!.alarmsByType.length > 0 ? <EChart option={options.alarmTypes} testId="chart-alarm-types" /> : <NoData text={t.noAlarms} />}
          </Panel>
          <Panel title={t.ledger} testId="panel-ledger" extra={ledger ? <small>#{ledger.height.toLocaleString()}</small> : null}>
            {options.throughput && d!.ledger.throughput.length > 0 ? <EChart option={options.throughput} testId="chart-ledger" /> : <NoData text={t.noData} />}
          </Panel>
          <div className="bs-pair">
            <Panel title={t.rideHailing} testId="panel-ridehailing">
              {options.compliance ? <EChart option={options.compliance} testId="chart-compliance" /> : <NoData text={t.noDataRide} />}
            </Panel>
            <Panel title={t.dispatch} testId="panel-dispatch">
              <DispatchPanelBody stats={d?.dispatch} />
            </Panel>
          </div>
        </div>
      </div>
    </div>
  );
}
