/** The alarm inbox: alarms through the sharing policy, counts, and their handling (a ledger transaction as the official). */
import { z } from "zod";
import { ALARM_ACTIONS, ALARM_STATES } from "../../../chain/contracts/enums";
import { RECORD_ID } from "../../../chain/contracts/ids";
import type { AlarmRecord } from "../../../chain/contracts/vehicles";
import { allows, SUPERVISION_VIEW as VIEW, SUPERVISION_WORK as WORK } from "../../../lib/access";
import { guardRead, withhold } from "../../sharing/guard";
import { alarmOwnerOf, authorityLineFor, departmentTree, manages, withAuthority } from "../../vehicles/authority";
import { alarmCounts, listAlarms } from "../../vehicles/queries";
import { txResult } from "../errors";
import { createTRPCRouter, permissionProcedure } from "../trpc";

const alarmId = z.string().regex(/^[a-z0-9-]{8,64}$/, "alarm id");

export const alarmsRouter = createTRPCRouter({
  list: permissionProcedure(VIEW)
    .input(z.object({ status: z.enum([...ALARM_STATES, "active"]).optional(), type: z.string().max(30).optional(), limit: z.number().int().min(1).max(500).default(100) }))
    .query(async ({ ctx, input }) => {
      const g = await guardRead(ctx.services.ledger, ctx.session.user, "alarms");
      const rows = await listAlarms(ctx.services.ledger, input);
      // Whether this user may act on each alarm: the owner department (the one that raised it) or an ancestor, with the work role.
      const me = ctx.session.user;
      const depts = await departmentTree(ctx.services.ledger);
      const works = allows(WORK, me);
      const mayAct = (owner: string) => works && manages(depts, me, owner);
      return rows.map((r) => ({ ...(withhold(r.value as unknown as Record<string, unknown>, g) as unknown as AlarmRecord), id: r.key, owner: r.value.owner, mayAct: mayAct(r.value.owner) }));
    }),

  counts: permissionProcedure(VIEW).query(async ({ ctx }) => {
    await guardRead(ctx.services.ledger, ctx.session.user, "alarms");
    return await alarmCounts(ctx.services.ledger);
  }),

  act: permissionProcedure(WORK)
    .input(
      z.object({
        id: alarmId,
        action: z.enum(ALARM_ACTIONS),
        assignee: z.string().regex(RECORD_ID).optional(),
        incident: z.string().regex(RECORD_ID).optional(),
        note: z.string().trim().max(500).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { ledger } = ctx.services;
      const line = await authorityLineFor(ledger, ctx.session.user, await alarmOwnerOf(ledger, input.id));
      return txResult(await ledger.submitAs(ctx.session.user, "alarm.act", withAuthority(input, line), `告警处置 alarm ${input.action}`));
    }),
});
