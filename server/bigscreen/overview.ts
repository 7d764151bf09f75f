/**
 * What the big screen reads besides the live stream: geofences and recent alarms from the ledger,
 * the panel statistics (flow, districts, classes, alarms by type, ledger throughput, ride-hailing
 * compliance), and the details of one vehicle or alarm with its ledger history.
 */
import { dispatchPanel } from "../dispatch/service";
import { ExplorerGovernor } from "../explorer/governance";
import { governedSummary } from "../explorer/governed-read";
import type { Reader } from "../sharing/policy";
import type { Services } from "../api/trpc";
import { getDistrictIndex, getFleetFeed } from "../live/registry";
import type { GeofenceDef } from "../vehicles/geofence";
import { VEHICLE_CLASSES } from "../vehicles/geofence";
import type { AlarmRecord } from "../../chain/contracts/vehicles";


/** A vehicle whose last ping is older than this is not counted online. */
export const ONLINE_WINDOW_MS = 5 * 60_000;
const DAY = 86_400_000;

export async function geofences(s: Services) {
  const rows = await s.ledger.node.store.records<GeofenceDef & { status: string }>("geofence");
  return rows.filter((r) => r.value.status === "active").map((r) => ({ id: r.key, name: r.value.name, kind: r.value.kind, shape: r.value.shape, classes: r.value.classes ?? null, schedule: r.value.schedule ?? null }));
}

/** The most recent alarms (newest first) of the last day. */
export async function recentAlarms(s: Services, limit: number, now = Date.now()) {
  const rows = await s.ledger.node.store.records<AlarmRecord>("alarm");
  return rows
    .map((r) => r.value)
    .filter((a) => a.at >= now - DAY)
    .sort((a, b) => b.at - a.at)
    .slice(0, limit)
    .map((a) => ({ id: a.id, type: a.type, severity: a.severity, plate: a.subject, ts: a.at, lon: a.lon ?? null, lat: a.lat ?? null, status: a.status, geofence: a.geofence ?? null }));
}

export async function panelStats(s: Services, now = Date.now()) {
  const store = s.ledger.node.store;
  const feed = getFleetFeed(s);
  const live = s.vehicles?.ingest.live;
  const onlineSince = now - ONLINE_WINDOW_MS;
  const online = (slot: number) => !!live && live.ts[slot] >= onlineSince;

  const byClass = VEHICLE_CLASSES.map((cls) => ({ cls, online: 0 }));
  if (live) for (let i = 0; i < live.count; i++) if (online(i)) byClass[live.cls[i]].online++;

  const districts = getDistrictIndex();
  const counts = live ? districts.count(live.lon, live.lat, live.count, online) : districts.districts.map(() => 0);
  const districtRanking = districts.districts
    .map((d, i) => ({ name: d.name, nameEn: d.nameEn, vehicles: counts[i] }))
    .sort((a, b) => b.vehicles - a.vehicles);

  const alarms = (await store.records<AlarmRecord>("alarm")).map((r) => r.value).filter((a) => a.at >= now - DAY);
  const byType = new Map<string, number>();
  for (const a of alarms) byType.set(a.type, (byType.get(a.type) ?? 0) + 1);

  // Ledger throughput: transactions per minute over the blocks of the last 30 minutes.
  const blocks = await store.listBlocks(100);
  const perMinute = new Map<number, number>();
  for (const b of blocks) {
    if (b.time < now - 30 * 60_000) continue;
    const m = Math.floor(b.time / 60_000) * 60_000;
    perMinute.set(m, (perMinute.get(m) ?? 0) + b.txCount);
  }
  const throughput = [...perMinute].sort((a, b) => a[0] - b[0]).map(([t, txs]) => ({ t, txs }));

  // Ride-hailing dual compliance (双合规率): the platforms' tallies, when trips have been reported.
  const stats = await store.records<{ trips: number; compliant: number }>("ridehail_stats");
  const trips = stats.reduce((n, r) => n + r.value.trips, 0);
  const compliant = stats.reduce((n, r) => n + r.value.compliant, 0);

  return {
    now,
    vehiclesKnown: live?.count ?? 0,
    flow: feed?.flow.series(now) ?? [],
    byClass,
    districtRanking,
    alarmsByType: [...byType].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count),
    alarmsToday: alarms.length,
    openAlarms: alarms.filter((a) => a.status === "open").length,
    ledger: { height: s.ledger.node.height, txCount: s.ledger.node.txCount, lastBlockTime: s.ledger.node.lastBlockTime, throughput },
    rideHailing: trips > 0 ? { trips, compliant, rate: compliant / trips, platforms: stats.length } : null,
    /** Emergency dispatch: open incidents, overdue SLA timers, response times (null: no incident in the last day). */
    dispatch: await dispatchPanel(s, now),
  };
}

/** A ledger record's versions, newest first, as the explorer lists them to `reader`. */
async function history(s: Services, reader: Reader, ns: string, key: string) {
  const [txs, gov] = await Promise.all([s.ledger.node.store.history(ns, key), ExplorerGovernor.create(s.ledger, reader)]);
  return txs.map((t) => governedSummary(gov, t)).reverse();
}

export async function vehicleDetail(s: Services, reader: Reader, plate: string) {
  const store = s.ledger.node.store;
  const record = await store.record<{ plate: string; cls: string; company: string; status?: string; [k: string]: unknown }>("vehicle", plate);
  if (!record) return null;
  const company = await store.record<{ name: string }>("company", record.value.company);
  const live = s.vehicles?.ingest.live;
  const slot = live?.slotOf(plate);
  const position =
    live && slot !== undefined ? { lon: live.lon[slot], lat: live.lat[slot], speedKmh: live.speed[slot], heading: live.heading[slot], ts: live.ts[slot] } : null;
  const alarms = (await store.records<AlarmRecord>("alarm"))
    .map((r) => r.value)
    .filter((a) => a.subject === plate)
    .sort((a, b) => b.at - a.at)
    .slice(0, 10)
    .map((a) => ({ id: a.id, type: a.type, severity: a.severity, ts: a.at, status: a.status }));
  return {
    plate,
    cls: record.value.cls,
    company: record.value.company,
    companyName: company?.value.name ?? null,
    status: record.value.status ?? null,
    position,
    alarms,
    history: await history(s, reader, "vehicle", plate),
  };
}

export async function alarmDetail(s: Services, reader: Reader, id: string) {
  const record = await s.ledger.node.store.record<AlarmRecord>("alarm", id);
  if (!record) return null;
  const a = record.value;
  const fence = a.geofence ? await s.ledger.node.store.record<{ name: string }>("geofence", a.geofence) : null;
  return {
    id: a.id,
    type: a.type,
    severity: a.severity,
    plate: a.subject,
    ts: a.at,
    lon: a.lon ?? null,
    lat: a.lat ?? null,
    status: a.status,
    owner: a.owner,
    geofence: a.geofence ?? null,
    geofenceName: fence?.value.name ?? null,
    speedKmh: a.speedKmh ?? null,
    limitKmh: a.limitKmh ?? null,
    detail: a.detail ?? null,
    history: await history(s, reader, "alarm", id),
  };
}
