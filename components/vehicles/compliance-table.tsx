"use client";
/** Ride-hailing dual-compliance rate (双合规率) per platform, from the ledger's tallies. */
import { useQuery } from "@tanstack/react-query";
import { QueryState } from "@/components/ui/query-state";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { VEHICLE_STRINGS } from "./strings";

export function ComplianceTable() {
  const { locale, t } = useI18n();
  const s = VEHICLE_STRINGS[locale];
  const trpc = useTRPC();
  const rows = useQuery({ ...trpc.ridehail.compliance.queryOptions(), refetchInterval: 15_000 });
  return (
    <div className="stack">
      <p className="panel-hint">{s.compliance.explain}</p>
      <QueryState isLoading={rows.isLoading} error={rows.error}>
        <div className="panel table-wrap">
          <table data-testid="compliance-table">
            <thead>
              <tr>
                <th>{s.compliance.platform}</th>
                <th>{s.compliance.trips}</th>
                <th>{s.compliance.compliant}</th>
                <th>{s.compliance.rate}</th>
                <th className="hide-sm">{s.compliance.problems}</th>
              </tr>
            </thead>
            <tbody>
              {(rows.data ?? []).map((r) => (
                <tr key={r.platform}>
                  <td>{r.name}</td>
                  <td className="num">{r.trips}</td>
                  <td className="num">{r.compliant}</td>
                  <td className="num">
                    <strong>{r.rate === null ? "—" : `${(r.rate * 100).toFixed(1)}%`}</strong>
                  </td>
                  <td className="hide-sm panel-hint">
                    {Object.entries((r as unknown as { byProblem: Record<string, number> }).byProblem ?? {})
                      .map(([k, n]) => `${s.compliance.problemNames[k] ?? k} ${n}`)
                      .join(" · ") || "—"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.data?.length === 0 ? <div className="empty">{t.common.none}</div> : null}
        </div>
      </QueryState>
    </div>
  );
}
