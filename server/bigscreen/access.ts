/**
 * What the big screen may show a viewer: the same policy as the vehicle procedures. Vehicle
 * supervision's role and department check (SUPERVISION_VIEW) first, then the sharing policy of each
 * dataset the screen draws from: plates, companies and current positions (vehicles), alarms and
 * geofences. A viewer outside it still gets the screen's aggregates (counts, flow, districts).
 */
import { allows, SUPERVISION_VIEW, type AccessSubject } from "../../lib/access";
import type { PortalLedger } from "../ledger/portal-ledger";
import type { FeedEvent, LiveAlarm } from "../live/fleet-feed";
import { guardRead, type Guarded } from "../sharing/guard";
import type { Reader } from "../sharing/policy";

const DATASETS = ["vehicles", "alarms", "geofences"] as const;
type Source = (typeof DATASETS)[number];

export interface BigscreenView {
  guards: Partial<Record<Source, Guarded>>;
  /** Why each source, or field, is withheld. */
  withheld: Record<string, string>;
}

export async function bigscreenView(ledger: PortalLedger, user: Reader & AccessSubject): Promise<BigscreenView> {
  const view: BigscreenView = { guards: {}, withheld: {} };
  if (!allows(SUPERVISION_VIEW, user)) {
    const reason = "权限不足：车辆监管数据仅限市、区及交通、运输、应急、消防、卫健部门 Forbidden: vehicle supervision data is for the city, districts, traffic, transport and emergency services";
    for (const d of DATASETS) view.withheld[d] = reason;
    return view;
  }
  await Promise.all(
    DATASETS.map(async (d) => {
      try {
        view.guards[d] = await guardRead(ledger, user, d);
      } catch (e) {
        view.withheld[d] = e instanceof Error ? e.message : String(e);
      }
    }),
  );
  return view;
}

/** True when the viewer sees `field` of `source`; records why not otherwise. */
export function sees(view: BigscreenView, source: Source, field: string): boolean {
  const g = view.guards[source];
  if (!g) return false;
  if (g.sees(field)) return true;
  view.withheld[`${source}.${field}`] ??= g.decision.hidden.find((h) => h.name === field)?.reason ?? "not granted 未授权字段";
  return false;
}

/**
 * Current positions go with the vehicle registry, as `vehicles.list` shows them; the stored tracks
 * (track replay) are the telemetry dataset's and need its grant.
 */
export function livePositions(view: BigscreenView): boolean {
  return !!view.guards.vehicles;
}

/** An alarm as the viewer may see it: plate and position blanked (null) where withheld. */
export function alarmForView<T extends { plate: string; lon: number | null; lat: number | null }>(view: BigscreenView, a: T): T & { plate: string | null } {
  const position = sees(view, "alarms", "lon") && sees(view, "alarms", "lat");
  return { ...a, plate: sees(view, "alarms", "subject") ? a.plate : null, lon: position ? a.lon : null, lat: position ? a.lat : null };
}

/**
 * The live stream's filter for one viewer: plates blanked (positions still align by slot), position
 * frames dropped, alarms dropped or blanked, as the view allows. Null: do not send.
 */
export function liveFilter(view: BigscreenView): (e: FeedEvent) => FeedEvent | null {
  const plates = sees(view, "vehicles", "plate");
  const positions = livePositions(view);
  const alarms = !!view.guards.alarms;
  return (e) => {
    switch (e.event) {
      case "hello":
        return { event: "hello", data: { ...(e.data as object), withheld: view.withheld } };
      case "plates": {
        if (plates) return e;
        const d = e.data as { from: number; plates: string[] };
        return { event: "plates", data: { from: d.from, plates: d.plates.map(() => "") } };
      }
      case "positions":
        return positions ? e : null;
      case "alarm":
        return alarms ? { event: "alarm", data: alarmForView(view, e.data as LiveAlarm) } : null;
      default:
        return e;
    }
  };
}
