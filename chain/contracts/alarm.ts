/** Vehicle supervision alarms: raised by the event engine or a contract, then acknowledged, assigned, escalated, closed. */
import { z } from "zod";
import { authorityLine, authorityReads, requireOwnerOrAncestor } from "./authority.js";
import { ALARM_ACTIONS, ALARM_SEVERITIES, ALARM_STATES, ALARM_TYPES } from "./enums.js";
import { defineContract } from "./types.js";
import { id, OPERATORS } from "./vehicle-common.js";

export const ALARMS_DATASET = "alarms";

/** An alarm as the ledger holds it (ns "alarm"): what alarm.raise / ridehail.trip write and alarm.act advances. */
export interface AlarmRecord {
  id: string;
  type: string;
  severity: string;
  /** The vehicle's plate. */
  subject: string;
  at: number;
  lon?: number;
  lat?: number;
  geofence?: string;
  permit?: string;
  trip?: string;
  speedKmh?: number;
  limitKmh?: number;
  detail?: string;
  /** Department that raised it. */
  owner: string;
  status: (typeof ALARM_STATES)[number];
  assignee?: string;
  incident?: string;
  steps: { action: string; actor: string; dept: string; seq: number; time: number; note?: string }[];
}

export const alarmRaise = defineContract({
  type: "alarm.raise",
  version: 1,
  roles: OPERATORS,
  writes: ["alarm"],
  governs: { scope: () => ({ dataset: ALARMS_DATASET }) },
  schema: z
    .object({
      id: z.string().regex(/^[a-z0-9-]{8,64}$/),
      type: z.enum(ALARM_TYPES),
      severity: z.enum(ALARM_SEVERITIES),
      subject: z.string().min(1).max(64),
      at: z.number().int().positive(),
      lon: z.number().min(-180).max(180).optional(),
      lat: z.number().min(-90).max(90).optional(),
      geofence: id.optional(),
      permit: id.optional(),
      speedKmh: z.number().min(0).max(400).optional(),
      limitKmh: z.number().min(0).max(400).optional(),
      detail: z.string().max(500).optional(),
    })
    .strict(),
  reads: (_tx, p) => [["alarm", p.id]],
  apply(ctx, p) {
    if (ctx.get("alarm", p.id)) return ctx.refuse(`alarm ${p.id} already raised`);
    ctx.put("alarm", p.id, { ...p, owner: ctx.tx.dept, status: "open", steps: [{ action: "raise", actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime }] });
  },
});

/** The alarm workflow: which action is allowed from which state, and where it leads. */
const TRANSITIONS: Record<string, { from: readonly AlarmRecord["status"][]; to: AlarmRecord["status"] }> = {
  acknowledge: { from: ["open"], to: "acknowledged" },
  assign: { from: ["open", "acknowledged", "assigned"], to: "assigned" },
  escalate: { from: ["open", "acknowledged", "assigned"], to: "escalated" },
  close: { from: ["open", "acknowledged", "assigned", "escalated"], to: "closed" },
};

export const alarmAct = defineContract({
  type: "alarm.act",
  version: 1,
  roles: OPERATORS,
  writes: ["alarm"],
  governs: { scope: () => ({ dataset: ALARMS_DATASET }) },
  subject: (p) => `${p.id} · ${p.action}`,
  schema: z
    .object({
      id: z.string().regex(/^[a-z0-9-]{8,64}$/),
      action: z.enum(ALARM_ACTIONS),
      /** assign: the user to handle it; escalate: the incident it became. */
      assignee: id.optional(),
      incident: id.optional(),
      note: z.string().trim().max(500).optional(),
      authority: authorityLine,
    })
    .strict()
    .refine((p) => p.action !== "assign" || p.assignee, { message: "assign needs an assignee" })
    .refine((p) => p.action !== "close" || p.note, { message: "close needs a note (resolution)" }),
  reads: (_tx, p) => [["alarm", p.id], ...(p.assignee ? [["user", p.assignee] as const] : []), ...authorityReads(p)],
  apply(ctx, p) {
    const a = ctx.get<AlarmRecord>("alarm", p.id);
    if (!a) return ctx.refuse(`unknown alarm ${p.id}`);
    requireOwnerOrAncestor(ctx, a.owner, p.authority);
    const t = TRANSITIONS[p.action];
    if (!t.from.includes(a.status)) return ctx.refuse(`cannot ${p.action} an alarm that is ${a.status}`);
    if (p.assignee) {
      const u = ctx.get<{ status: string }>("user", p.assignee);
      if (!u || u.status !== "active") return ctx.refuse(`unknown or disabled user ${p.assignee}`);
    }
    const step = { action: p.action, actor: ctx.tx.actor, dept: ctx.tx.dept, seq: ctx.seq, time: ctx.blockTime, ...(p.note ? { note: p.note } : {}) };
    ctx.put("alarm", p.id, {
      ...(a as object),
      status: t.to,
      ...(p.assignee ? { assignee: p.assignee } : {}),
      ...(p.incident ? { incident: p.incident } : {}),
      steps: [...a.steps, step],
    });
  },
});

