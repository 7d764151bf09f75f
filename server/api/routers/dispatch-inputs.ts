/** Inputs and refusals shared by the dispatch routers. */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { RECORD_ID } from "../../../chain/contracts/ids";

export const incidentId = z.string().trim().regex(/^inc-[a-z0-9-]{4,60}$/, "警情编号格式如 inc-20261126-0001 incident id like inc-20261126-0001");
export const unitId = z.string().trim().regex(RECORD_ID, "单元编号格式错误 unit id: lowercase letters, digits, '.', '_' or '-'");

export const notFound = (what: string) => new TRPCError({ code: "NOT_FOUND", message: `${what} 不存在 not found` });
