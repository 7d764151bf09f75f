/** Vehicles and their terminals: registration and licence or company changes, by the competent bureau. */
import { z } from "zod";
import { authorityLine, authorityReads, requireOwnerOrAncestor } from "./authority.js";
import { VEHICLE_CLASSES, type Bureau } from "./enums.js";
import { plateSchema as plate } from "./ids.js";
import { defineContract } from "./types.js";
import { id, licence, OPERATORS, registrant, requireBureau, stamp } from "./vehicle-common.js";

/** The catalogue dataset of vehicles (owner: the transport bureau). */
export const VEHICLES_DATASET = "vehicles";

/** Hazmat vehicles are the traffic police's alone; other classes the transport bureau's or the traffic police's. */
const vehicleAuthority = (cls: string): Bureau[] => (cls === "hazmat" ? ["traffic_police"] : ["transport", "traffic_police"]);

export const vehicleRegister = defineContract({
  type: "vehicle.register",
  version: 1,
  roles: OPERATORS,
  writes: ["vehicle", "terminal"],
  governs: { scope: () => ({ dataset: VEHICLES_DATASET }) },
  subject: (p) => p.plate,
  schema: z
    .object({
      plate,
      cls: z.enum(VEHICLE_CLASSES),
      company: id,
      terminal: z.string().regex(/^[A-Za-z0-9_-]{4,40}$/, "terminal id: 4-40 letters, digits, '_' or '-'"),
      licence,
      vin: z.string().regex(/^[A-HJ-NPR-Z0-9]{17}$/, "VIN: 17 characters").optional(),
      /** Odometer at registration (km). */
      odometerKm: z.number().min(0).max(5_000_000).optional(),
    })
    .strict(),
  reads: (_tx, p) => [
    ["vehicle", p.plate],
    ["company", p.company],
    ["terminal", p.terminal],
  ],
  apply(ctx, p) {
    requireBureau(ctx, ...vehicleAuthority(p.cls));
    if (ctx.get("vehicle", p.plate)) return ctx.refuse(`vehicle ${p.plate} already registered`);
    if (!ctx.get("company", p.company)) return ctx.refuse(`unknown company ${p.company}`);
    const t = ctx.get<{ plate: string }>("terminal", p.terminal);
    if (t) return ctx.refuse(`terminal ${p.terminal} already belongs to ${t.plate}`);
    ctx.put("vehicle", p.plate, { ...p, registered: stamp(ctx) });
    ctx.put("terminal", p.terminal, { plate: p.plate, company: p.company });
  },
});

export const vehicleUpdate = defineContract({
  type: "vehicle.update",
  version: 1,
  roles: OPERATORS,
  writes: ["vehicle"],
  governs: { scope: () => ({ dataset: VEHICLES_DATASET }) },
  subject: (p) => p.plate,
  schema: z.object({ plate, licence: licence.optional(), company: id.optional(), authority: authorityLine }).strict(),
  reads: (_tx, p) => [["vehicle", p.plate], ...(p.company ? [["company", p.company] as const] : []), ...authorityReads(p)],
  apply(ctx, { authority, ...p }) {
    const v = ctx.get<Record<string, unknown> & { cls: string; registered?: { dept?: string } }>("vehicle", p.plate);
    if (!v) return ctx.refuse(`unknown vehicle ${p.plate}`);
    requireBureau(ctx, ...vehicleAuthority(v.cls));
    requireOwnerOrAncestor(ctx, registrant(v), authority);
    if (p.company && !ctx.get("company", p.company)) return ctx.refuse(`unknown company ${p.company}`);
    ctx.put("vehicle", p.plate, { ...(v as object), ...p, updated: stamp(ctx) });
  },
});

