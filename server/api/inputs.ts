/** zod pieces shared by the routers' inputs, matching the ledger contracts' own checks. */
import { z } from "zod";
import { recordId as contractRecordId } from "../../chain/contracts/ids";
import { BUREAUS } from "../../chain/contracts/core";
import { ROLES } from "../../chain/contracts/types";
import { passwordWeakness } from "../auth/password-policy";

export const recordId = z.string().trim().pipe(contractRecordId());
export const displayName = z.string().trim().min(1, "必填 required").max(100);
export const role = z.enum(ROLES);
export const bureau = z.enum(BUREAUS);
export const clearance = z.number().int().min(1).max(4);
export const password = z
  .string()
  .max(200)
  .superRefine((value, ctx) => {
    const weakness = passwordWeakness(value);
    if (weakness) ctx.addIssue({ code: "custom", message: weakness });
  });
export const txHash = z.string().trim().toLowerCase().regex(/^[0-9a-f]{64}$/, "交易哈希为 64 位十六进制 a transaction hash is 64 hex digits");
export const namespace = z.string().trim().regex(/^[a-z][a-z0-9_]{0,31}$/, "namespace like 'user' or 'dept'");
