/**
 * What the vehicle supervision contracts share: who may submit (the competent bureau), licences,
 * stamps and the registering department.
 */
import { z } from "zod";
import { LICENCE_STATUSES, type Bureau } from "./enums.js";
import { recordId } from "./ids.js";
import { cstDate } from "./cst.js";
import type { ContractContext } from "./types.js";

export const id = recordId();
export const name = z.string().trim().min(1).max(100);
export const licence = z.object({ no: z.string().trim().min(1).max(40), status: z.enum(LICENCE_STATUSES), expires: z.string().date().optional() });
export const OPERATORS = ["operator", "supervisor", "dept_admin", "sys_admin"] as const;

/** A licence in force at `time`: status valid and not past its expiry date (when it has one). */
export function licenceInForce(l: { status: string; expires?: string } | undefined, time: number): boolean {
  return !!l && l.status === "valid" && (!l.expires || l.expires >= cstDate(time));
}

/** Refuses unless the submitting department is one of these bureaus (a system admin may act anywhere). */
export function requireBureau(ctx: ContractContext, ...bureaus: Bureau[]): void {
  if (!ctx.user || ctx.user.role === "sys_admin") return;
  const dept = ctx.get<{ bureau?: string }>("dept", ctx.tx.dept);
  if (!dept?.bureau || !bureaus.includes(dept.bureau as Bureau)) ctx.refuse(`only the ${bureaus.join(" or ")} bureau may submit ${ctx.tx.type}`);
}

export const stamp = (ctx: ContractContext) => ({ dept: ctx.tx.dept, actor: ctx.tx.actor, seq: ctx.seq, time: ctx.blockTime });

/** The department that registered a record (companies, vehicles, drivers: the `registered` stamp). */
export const registrant = (r: { registered?: { dept?: string } }): string => r.registered?.dept ?? "";
