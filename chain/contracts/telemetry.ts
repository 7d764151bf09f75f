/** Telemetry anchoring (a batch's Merkle root on the ledger) and tamper-evident mileage. */
import { z } from "zod";
import { HEX32 } from "../tx.js";
import { plateSchema as plate } from "./ids.js";
import { defineContract } from "./types.js";
import { VEHICLES_DATASET } from "./vehicle.js";
import { id, OPERATORS, stamp } from "./vehicle-common.js";

export const telemetryAnchor = defineContract({
  type: "telemetry.anchor",
  version: 1,
  roles: OPERATORS,
  writes: ["telemetry"],
  governs: { public: "定位批次的默克尔根与条数，不含定位点 a position batch's Merkle root and count, no positions" },
  subject: (p) => `${p.company} · ${p.batch.slice(0, 12)}`,
  schema: z
    .object({
      batch: z.string().regex(/^[0-9a-f]{32}$/, "batch id: 32 hex digits"),
      company: id,
      count: z.number().int().min(1).max(100_000),
      /** RFC 6962 root over the batch's canonical pings, in stored order. */
      root: z.string().regex(HEX32),
      fromTs: z.number().int(),
      toTs: z.number().int(),
    })
    .strict(),
  reads: (_tx, p) => [
    ["telemetry", p.batch],
    ["company", p.company],
  ],
  apply(ctx, p) {
    if (ctx.get("telemetry", p.batch)) return ctx.refuse(`batch ${p.batch} already anchored`);
    if (!ctx.get("company", p.company)) return ctx.refuse(`unknown company ${p.company}`);
    ctx.put("telemetry", p.batch, { ...p, anchored: stamp(ctx) });
  },
});

/** GPS distance below which odometer divergence is not judged (rounding and GPS noise dominate). */
export const MILEAGE_MIN_GPS_KM = 1;
/** Odometer and GPS distance may differ by this fraction of the GPS distance before it is flagged. */
export const MILEAGE_DIVERGENCE = 0.1;

/** A vehicle's mileage as the ledger holds it (ns "mileage"). */
export interface MileageRecord {
  odometerKm: number;
  at: number;
  readings: number;
  /** GPS track distance summed over the readings that reported one. */
  gpsKm: number;
  flags: { kind: "rollback" | "divergence"; at: number; from: number; to: number; gpsKm?: number; seq: number }[];
  lastSeq: number;
}

/**
 * An odometer reading, from the terminal (with the GPS track distance driven since the previous
 * reading, when the track was complete) or from an inspection. A reading lower than an earlier one
 * (or, for the first, than the odometer declared at registration) is rollback; an odometer advance that differs from the GPS distance by more than 10% is
 * divergence. Either is flagged on the vehicle's mileage record for ever and raises an alarm in
 * the same transaction.
 */
export const mileageRecord = defineContract({
  type: "mileage.record",
  version: 1,
  roles: OPERATORS,
  writes: ["mileage", "alarm"],
  governs: { scope: () => ({ dataset: VEHICLES_DATASET }) },
  subject: (p) => `${p.plate} · ${p.odometerKm} km`,
  schema: z
    .object({
      plate,
      odometerKm: z.number().min(0).max(5_000_000),
      at: z.number().int().positive(),
      source: z.enum(["terminal", "inspection"]),
      /** GPS track distance (km) since the previous reading; absent when the track had gaps. */
      gpsKm: z.number().min(0).max(100_000).optional(),
    })
    .strict(),
  reads: (_tx, p) => [
    ["vehicle", p.plate],
    ["mileage", p.plate],
  ],
  apply(ctx, p) {
    const vehicle = ctx.get<{ odometerKm?: number }>("vehicle", p.plate);
    if (!vehicle) return ctx.refuse(`unknown vehicle ${p.plate}`);
    const prev = ctx.get<MileageRecord>("mileage", p.plate);
    const flags = [...(prev?.flags ?? [])];
    const latest = !prev || p.at >= prev.at;
    let flag: MileageRecord["flags"][number] | null = null;
    // The first reading is checked against the odometer declared at registration.
    const floor = prev ? prev.odometerKm : vehicle.odometerKm;
    if (floor !== undefined && latest && p.odometerKm < floor) {
      flag = { kind: "rollback", at: p.at, from: floor, to: p.odometerKm, seq: ctx.seq };
    } else if (prev && latest && p.gpsKm !== undefined && p.gpsKm >= MILEAGE_MIN_GPS_KM) {
      const advance = p.odometerKm - prev.odometerKm;
      if (Math.abs(advance - p.gpsKm) > MILEAGE_DIVERGENCE * p.gpsKm) flag = { kind: "divergence", at: p.at, from: prev.odometerKm, to: p.odometerKm, gpsKm: p.gpsKm, seq: ctx.seq };
    }
    if (flag) flags.push(flag);
    ctx.put("mileage", p.plate, {
      odometerKm: latest ? p.odometerKm : prev!.odometerKm,
      at: latest ? p.at : prev!.at,
      readings: (prev?.readings ?? 0) + 1,
      gpsKm: Math.round(((prev?.gpsKm ?? 0) + (p.gpsKm ?? 0)) * 1000) / 1000,
      flags: flags.slice(-50),
      lastSeq: ctx.seq,
    });
    if (flag) {
      const alarmId = `mileage-${ctx.seq}`;
      const detail =
        flag.kind === "rollback"
          ? `里程回拨 odometer rollback ${flag.from} → ${flag.to} km`
          : `里程与轨迹不符 odometer +${Math.round((flag.to - flag.from) * 10) / 10} km vs GPS ${flag.gpsKm} km`;
      ctx.put("alarm", alarmId, {
        id: alarmId,
        type: flag.kind === "rollback" ? "odometer_rollback" : "odometer_divergence",
        severity: flag.kind === "rollback" ? "critical" : "warning",
        subject: p.plate,
        at: p.at,
        detail,
        owner: ctx.tx.dept,
        status: "open",
        steps: [{ action: "raise", actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime }],
      });
    }
  },
});

