/** Licensed drivers (ride-hailing, taxi): registration and licence or vehicle changes, name and licence number sealed. */
import { z } from "zod";
import { authorityLine, authorityReads, requireOwnerOrAncestor } from "./authority.js";
import { plateSchema as plate } from "./ids.js";
import { checkSealedFields, hex, sealedValueSchema } from "./sharing.js";
import { defineContract, type StateKey } from "./types.js";
import { id, licence, name, OPERATORS, registrant, requireBureau, stamp } from "./vehicle-common.js";

/** The catalogue dataset of drivers (owner: the transport bureau); name and licence number are sealed. */
export const DRIVERS_DATASET = "drivers";
/** A driver's personal fields, sealed under the `drivers` dataset key; the licence number with its blind index. */
const driverSealed = z.object({ name: sealedValueSchema.optional(), licenceNo: sealedValueSchema.optional() }).strict();
const driverIndex = z.object({ licenceNo: hex(16) }).strict();
const driverReads = (p: { id: string }): StateKey[] => [
  ["driver", p.id],
  ["dataset", DRIVERS_DATASET],
  ["dskey", DRIVERS_DATASET],
];

/**
 * A driver and the vehicles they drive. The licence's status stays clear (trip checks read it); the
 * name and the licence number travel sealed once the catalogue seals them (`name` and `licence.no`
 * in clear are earlier history's shape).
 */
export const driverRegister = defineContract({
  type: "driver.register",
  version: 1,
  roles: OPERATORS,
  writes: ["driver"],
  governs: { scope: (p) => ({ dataset: DRIVERS_DATASET, recordKey: p.id }) },
  schema: z
    .object({ id, name: name.optional(), company: id, licence: licence.extend({ no: licence.shape.no.optional() }), vehicles: z.array(plate).max(10).default([]), sealed: driverSealed.optional(), index: driverIndex.optional() })
    .strict()
    .refine((p) => !!p.name !== !!p.sealed?.name, { message: "a driver has a name, sealed or (earlier history) in clear" }),
  reads: (_tx, p) => [...driverReads(p), ["company", p.company]],
  apply(ctx, p) {
    requireBureau(ctx, "transport");
    if (ctx.get("driver", p.id)) return ctx.refuse(`driver ${p.id} already registered`);
    if (!ctx.get("company", p.company)) return ctx.refuse(`unknown company ${p.company}`);
    checkSealedFields(ctx, DRIVERS_DATASET, { name: p.name, licenceNo: p.licence.no }, p.sealed, p.index);
    ctx.put("driver", p.id, { ...p, registered: stamp(ctx) });
  },
});

export const driverUpdate = defineContract({
  type: "driver.update",
  version: 1,
  roles: OPERATORS,
  writes: ["driver"],
  governs: { scope: (p) => ({ dataset: DRIVERS_DATASET, recordKey: p.id }) },
  schema: z
    .object({ id, licence: licence.extend({ no: licence.shape.no.optional() }).optional(), vehicles: z.array(plate).max(10).optional(), sealed: z.object({ licenceNo: sealedValueSchema }).strict().optional(), index: driverIndex.optional(), authority: authorityLine })
    .strict(),
  reads: (_tx, p) => [...driverReads(p), ...authorityReads(p)],
  apply(ctx, { authority, ...p }) {
    requireBureau(ctx, "transport");
    const d = ctx.get<Record<string, unknown> & { sealed?: object; index?: object; registered?: { dept?: string } }>("driver", p.id);
    if (!d) return ctx.refuse(`unknown driver ${p.id}`);
    requireOwnerOrAncestor(ctx, registrant(d), authority);
    checkSealedFields(ctx, DRIVERS_DATASET, { licenceNo: p.licence?.no }, p.sealed, p.index);
    const sealed = p.sealed || d.sealed ? { sealed: { ...d.sealed, ...p.sealed } } : {};
    const index = p.index || d.index ? { index: { ...d.index, ...p.index } } : {};
    ctx.put("driver", p.id, { ...(d as object), ...p, ...sealed, ...index, updated: stamp(ctx) });
  },
});

