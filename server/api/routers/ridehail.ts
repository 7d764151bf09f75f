/** Ride-hailing compliance per platform, from the ledger's trip statistics. */
import { SUPERVISION_VIEW as VIEW } from "../../../lib/access";
import { createTRPCRouter, permissionProcedure } from "../trpc";

export const ridehailRouter = createTRPCRouter({
  /** Dual-compliance rate (双合规率) per platform: trips by a licensed driver in a licensed car registered together. */
  compliance: permissionProcedure(VIEW).query(async ({ ctx }) => {
    const store = ctx.services.ledger.node.store;
    const [stats, companies] = await Promise.all([
      store.records<{ trips: number; compliant: number; byProblem: Record<string, number> }>("ridehail_stats"),
      store.records<{ name: string }>("company"),
    ]);
    const names = new Map(companies.map((c) => [c.key, c.value.name]));
    return stats.map((s) => ({ platform: s.key, name: names.get(s.key) ?? s.key, ...(s.value as object), trips: s.value.trips, compliant: s.value.compliant, rate: s.value.trips ? s.value.compliant / s.value.trips : null }));
  }),
});
