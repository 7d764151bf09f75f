/** Ride-hailing trips reported by their platforms, checked for dual compliance (driver and vehicle licensed, registered together). */
import { z } from "zod";
import { plateSchema as plate } from "./ids.js";
import { defineContract } from "./types.js";
import { id, licenceInForce, OPERATORS, stamp } from "./vehicle-common.js";

/** The catalogue dataset of reported trips (owner: the transport bureau). */
export const TRIPS_DATASET = "ridehail.trips";

/**
 * A ride-hailing trip reported by its platform. The contract checks the driver's and the vehicle's
 * licences and that the two are registered together; a non-compliant trip is recorded and raises
 * its alarm in the same transaction, and the platform's dual-compliance tally (双合规率) is updated.
 */
export const ridehailTrip = defineContract({
  type: "ridehail.trip",
  version: 1,
  roles: OPERATORS,
  writes: ["trip", "ridehail_stats", "alarm"],
  governs: { scope: () => ({ dataset: TRIPS_DATASET }) },
  schema: z
    .object({
      id: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, "trip id: 6-64 letters, digits, '_' or '-'"),
      platform: id,
      driver: id,
      plate,
      start: z.number().int().positive(),
      end: z.number().int().positive(),
      distanceKm: z.number().min(0).max(500),
      fareYuan: z.number().min(0).max(10_000),
    })
    .strict()
    .refine((p) => p.end >= p.start, { message: "trip ends before it starts" }),
  reads: (_tx, p) => [
    ["trip", p.id],
    ["company", p.platform],
    ["driver", p.driver],
    ["vehicle", p.plate],
    ["ridehail_stats", p.platform],
  ],
  apply(ctx, p) {
    if (ctx.get("trip", p.id)) return ctx.refuse(`trip ${p.id} already reported`);
    const platform = ctx.get<{ kind: string }>("company", p.platform);
    if (!platform || platform.kind !== "ride_hailing_platform") return ctx.refuse(`${p.platform} is not a registered ride-hailing platform`);
    const driver = ctx.get<{ licence: { status: string; expires?: string }; vehicles: string[]; company: string }>("driver", p.driver);
    const vehicle = ctx.get<{ licence: { status: string; expires?: string }; cls: string }>("vehicle", p.plate);
    const problems: string[] = [];
    if (!driver) problems.push("driver_unregistered");
    else if (!licenceInForce(driver.licence, p.start)) problems.push("driver_unlicensed");
    if (!vehicle) problems.push("vehicle_unregistered");
    else if (!licenceInForce(vehicle.licence, p.start) || vehicle.cls !== "ride_hailing") problems.push("vehicle_unlicensed");
    if (driver && vehicle && !driver.vehicles.includes(p.plate)) problems.push("pair_mismatch");
    const compliant = problems.length === 0;
    ctx.put("trip", p.id, { ...p, compliant, problems, reported: stamp(ctx) });
    const stats = ctx.get<{ trips: number; compliant: number; byProblem: Record<string, number> }>("ridehail_stats", p.platform) ?? { trips: 0, compliant: 0, byProblem: {} };
    const byProblem = { ...stats.byProblem };
    for (const x of problems) byProblem[x] = (byProblem[x] ?? 0) + 1;
    ctx.put("ridehail_stats", p.platform, { trips: stats.trips + 1, compliant: stats.compliant + (compliant ? 1 : 0), byProblem, updatedSeq: ctx.seq });
    if (!compliant) {
      const type = problems.every((x) => x === "pair_mismatch") ? "pair_mismatch" : "unlicensed_trip";
      const alarmId = `trip-${p.id.toLowerCase().replace(/_/g, "-")}`.slice(0, 64);
      ctx.put("alarm", alarmId, {
        id: alarmId,
        type,
        severity: "warning",
        subject: p.plate,
        at: p.start,
        detail: `${p.platform} 行程 ${p.id}: ${problems.join(", ")}`,
        trip: p.id,
        owner: ctx.tx.dept,
        status: "open",
        steps: [{ action: "raise", actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime }],
      });
    }
  },
});

