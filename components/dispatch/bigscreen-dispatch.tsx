"use client";
/**
 * Emergency dispatch on the big screen: the response-time panel (open incidents, overdue SLA timers
 * in red, median response, on-time rate, the latest open incidents) and the incident map layer.
 */
import { ScatterplotLayer } from "@deck.gl/layers";
import { useI18n } from "@/lib/i18n/client";
import { DISPATCH_STRINGS, formatDuration } from "./strings";

export interface DispatchPanelStats {
  open: number;
  overdue: number;
  today: number;
  medianResponseS: number | null;
  medianDispatchS: number | null;
  onSceneOnTime: number | null;
  incidents: { id: string; type: string; severity: string; status: string; lon: number; lat: number; address: string; openedAt: number; overdue: boolean }[];
}

const LABELS = {
  "zh-CN": { none: "暂无应急警情（24 小时内）", open: "在办", overdue: "超时", response: "到场中位", dispatch: "派遣用时", onTime: "按时率" },
  en: { none: "No incidents in the last 24 hours", open: "Open", overdue: "Overdue", response: "Median", dispatch: "To dispatch", onTime: "On time" },
};

export function DispatchPanelBody({ stats }: { stats: DispatchPanelStats | null | undefined }) {
  const { locale } = useI18n();
  const l = LABELS[locale];
  const s = DISPATCH_STRINGS[locale];
  if (!stats) return <div className="bs-nodata">{l.none}</div>;
  const kpi = (label: string, value: string, testId: string, bad = false) => (
    <div data-testid={testId} style={{ display: "flex", flexDirection: "column", minWidth: 0 }}>
      <span className="bs-muted" style={{ fontSize: "calc(11 * var(--u))" }}>
        {label}
      </span>
      <b style={{ fontSize: "calc(18 * var(--u))", color: bad ? "var(--bs-red)" : undefined, fontVariantNumeric: "tabular-nums" }}>{value}</b>
    </div>
  );
  return (
    <div style={{ display: "flex", flexDirection: "column", gap: "calc(6 * var(--u))", height: "100%", overflow: "hidden" }} data-testid="dispatch-panel-body">
      <div style={{ display: "grid", gridTemplateColumns: "repeat(4, minmax(0, 1fr))", gap: "calc(6 * var(--u))" }}>
        {kpi(l.open, String(stats.open), "dispatch-open")}
        {kpi(l.overdue, String(stats.overdue), "dispatch-overdue", stats.overdue > 0)}
        {kpi(l.response, formatDuration(stats.medianResponseS), "dispatch-response")}
        {kpi(l.onTime, stats.onSceneOnTime === null ? "—" : `${Math.round(stats.onSceneOnTime * 100)}%`, "dispatch-ontime")}
      </div>
      <ol className="bs-ticker" style={{ height: "auto" }}>
        {stats.incidents.slice(0, 3).map((i) => (
          <li key={i.id} data-incident={i.id} data-overdue={i.overdue ? "true" : "false"}>
            <button type="button" style={i.overdue ? { borderColor: "var(--bs-red)", background: "rgba(255, 77, 99, 0.18)" } : undefined}>
              <span className="bs-time">{new Date(i.openedAt + 8 * 3600_000).toISOString().slice(11, 16)}</span>
              <span className={i.overdue ? "bs-error" : ""}>{s.types[i.type] ?? i.type}</span>
              <span className="bs-alarm-type">{i.address}</span>
              <span className="bs-plate">{i.overdue ? l.overdue : (s.statuses[i.status] ?? i.status)}</span>
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Open incidents on the big screen's map: amber, red when a timer is overdue. */
export function incidentLayer(incidents: DispatchPanelStats["incidents"] | undefined, scale = 1) {
  return new ScatterplotLayer({
    id: "incidents",
    data: incidents ?? [],
    getPosition: (i: DispatchPanelStats["incidents"][number]) => [i.lon, i.lat],
    getFillColor: (i: DispatchPanelStats["incidents"][number]) => (i.overdue ? [255, 60, 80, 255] : [255, 190, 0, 255]),
    getRadius: 9 * scale,
    radiusUnits: "pixels",
    stroked: true,
    getLineColor: [255, 255, 255, 255],
    lineWidthMinPixels: 2 * scale,
    updateTriggers: { getFillColor: (incidents ?? []).map((i) => i.overdue).join() },
  });
}
