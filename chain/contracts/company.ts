/** Transport companies: registration, standing (suspend, reinstate, revoke) and ingest key rotation, by the transport bureau. */
import { z } from "zod";
import { HEX32 } from "../tx.js";
import { authorityLine, authorityReads, requireOwnerOrAncestor } from "./authority.js";
import { COMPANY_KINDS, COMPANY_STATUSES } from "./enums.js";
import { defineContract } from "./types.js";
import { id, name, OPERATORS, registrant, requireBureau, stamp } from "./vehicle-common.js";

/** The ed25519 key the company signs telemetry batches with. */
const ingestKey = z.string().regex(HEX32, "ingestKey must be 64 lowercase hex digits");
const COMPANY_PUBLIC = "运输企业登记为公开的经营信息（接入密钥为公钥） a transport company's registration is public business information (its ingest key is a public key)";

export const companyRegister = defineContract({
  type: "company.register",
  version: 1,
  roles: OPERATORS,
  writes: ["company"],
  governs: { public: COMPANY_PUBLIC },
  schema: z
    .object({
      id,
      name,
      kind: z.enum(COMPANY_KINDS),
      ingestKey,
    })
    .strict(),
  reads: (_tx, p) => [["company", p.id]],
  apply(ctx, p) {
    requireBureau(ctx, "transport");
    if (ctx.get("company", p.id)) return ctx.refuse(`company ${p.id} already registered`);
    ctx.put("company", p.id, { ...p, status: "active", registered: stamp(ctx) });
  },
});

/**
 * A company's standing and key: suspended or revoked companies cannot sign telemetry (the ingest
 * refuses them) and a revoked company cannot come back; a new ingest key replaces the old one
 * (a compromised key is rotated, not shared). Only the transport bureau that licenses companies.
 */
export const companyUpdate = defineContract({
  type: "company.update",
  version: 1,
  roles: OPERATORS,
  writes: ["company"],
  governs: { public: COMPANY_PUBLIC },
  schema: z
    .object({
      id,
      name: name.optional(),
      status: z.enum(COMPANY_STATUSES).optional(),
      ingestKey: ingestKey.optional(),
      reason: z.string().trim().min(1, "a reason is required").max(300),
      authority: authorityLine,
    })
    .strict()
    .refine((p) => p.name !== undefined || p.status !== undefined || p.ingestKey !== undefined, { message: "nothing to change: give a name, status or ingestKey" }),
  reads: (_tx, p) => [["company", p.id], ...authorityReads(p)],
  apply(ctx, { authority, reason, ...p }) {
    requireBureau(ctx, "transport");
    const c = ctx.get<Record<string, unknown> & { status: string; registered?: { dept?: string } }>("company", p.id);
    if (!c) return ctx.refuse(`unknown company ${p.id}`);
    requireOwnerOrAncestor(ctx, registrant(c), authority);
    if (c.status === "revoked") return ctx.refuse(`company ${p.id} is revoked; register it anew`);
    if (p.status && p.status === c.status && p.name === undefined && p.ingestKey === undefined) return ctx.refuse(`company ${p.id} is already ${p.status}`);
    ctx.put("company", p.id, { ...(c as object), ...p, updated: { ...stamp(ctx), reason } });
  },
});
