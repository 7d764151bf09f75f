/** Shared schemas of the vehicle domain (vehicle classes, geofence definitions), used by contracts and the server. */
import { z } from "zod";
import { GEOFENCE_KINDS, VEHICLE_CLASSES } from "./enums.js";
import { recordId } from "./ids.js";

export { VEHICLE_CLASSES, type VehicleClass } from "./enums.js";

const lon = z.number().min(113.7).max(114.7, "longitude outside Shenzhen");
const lat = z.number().min(22.3).max(22.9, "latitude outside Shenzhen");
const lonLat = z.tuple([lon, lat]);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "time as HH:MM");

export const geofenceShapeSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("polygon"),
    /** GeoJSON polygon rings: the outer ring then holes; each closed or not. */
    coordinates: z.array(z.array(lonLat).min(3, "a ring needs at least 3 points")).min(1),
  }),
  z.object({ type: z.literal("circle"), center: lonLat, radiusM: z.number().positive().max(50_000) }),
  z.object({ type: z.literal("corridor"), path: z.array(lonLat).min(2, "a corridor needs a route of 2+ points"), widthM: z.number().positive().max(5_000) }),
]);

export const geofenceSchema = z.object({
  id: recordId(),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(GEOFENCE_KINDS),
  shape: geofenceShapeSchema,
  schedule: z
    .object({ start: hhmm, end: hhmm, days: z.array(z.number().int().min(1).max(7)).min(1).optional() })
    .refine((s) => s.start !== s.end, { message: "schedule start and end must differ" })
    .optional(),
  classes: z.array(z.enum(VEHICLE_CLASSES)).optional(),
  speedLimitKmh: z.number().positive().max(200).optional(),
  /**
   * Which transitions raise an alarm. Default by kind: danger_zone and restricted alarm on entry;
   * key_area (monitoring, speed limits) and hazmat_corridor (judged through permits) raise none.
   */
  alarmOn: z.array(z.enum(["enter", "exit"])).max(2).optional(),
});

export type GeofenceDef = z.infer<typeof geofenceSchema>;

/** The transitions that raise alarms for a fence (its alarmOn, or its kind's default). */
export function alarmTransitions(def: Pick<GeofenceDef, "kind" | "alarmOn">): readonly ("enter" | "exit")[] {
  if (def.alarmOn) return def.alarmOn;
  return def.kind === "danger_zone" || def.kind === "restricted" ? ["enter"] : [];
}
