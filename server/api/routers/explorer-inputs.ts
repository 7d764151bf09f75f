/** Inputs and helpers shared by the explorer routers. */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { ExplorerGovernor } from "../../explorer/governance";
import type { Context } from "../trpc";

type Authed = Context & { session: NonNullable<Context["session"]> };
/** The reader's governor of sensitive fields (revealing them only for an explicit, logged read). */
export const governor = (ctx: Authed, reveal = false) => ExplorerGovernor.create(ctx.services.ledger, ctx.session.user, { reveal });
export const recordKey = z.string().trim().min(1).max(128);
export const notFound = (what: string) => new TRPCError({ code: "NOT_FOUND", message: `${what} 不存在 not found` });
