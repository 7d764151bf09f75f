"use client";
/** The vehicle registry: search by plate, filter by class, last live position, link to track replay. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { VEHICLE_CLASSES } from "@/chain/contracts/enums";
import { QueryState } from "@/components/ui/query-state";
import { formatTime } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { VEHICLE_STRINGS } from "./strings";

const CLASSES = VEHICLE_CLASSES;

export function VehicleTable() {
  const { locale, t } = useI18n();
  const s = VEHICLE_STRINGS[locale];
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const [cls, setCls] = useState<(typeof CLASSES)[number] | "">("");
  const list = useQuery({ ...trpc.vehicles.list.queryOptions({ q: q.trim() || undefined, cls: cls || undefined, limit: 200 }), refetchInterval: 10_000 });
  return (
    <div className="stack">
      <div className="row">
        <input className="input" style={{ maxWidth: 220 }} type="search" placeholder={s.vehicle.search} aria-label={s.vehicle.search} value={q} onChange={(e) => setQ(e.target.value)} data-testid="vehicle-search" />
        <select className="input" style={{ maxWidth: 160 }} value={cls} onChange={(e) => setCls(e.target.value as typeof cls)} aria-label={s.vehicle.cls}>
          <option value="">{s.vehicle.allClasses}</option>
          {CLASSES.map((c) => (
            <option key={c} value={c}>
              {s.classes[c]}
            </option>
          ))}
        </select>
      </div>
      <QueryState isLoading={list.isLoading} error={list.error}>
        <div className="panel table-wrap">
          <table data-testid="vehicle-table">
            <thead>
              <tr>
                <th>{s.vehicle.plate}</th>
                <th>{s.vehicle.cls}</th>
                <th className="hide-sm">{s.vehicle.company}</th>
                <th className="hide-sm">{s.vehicle.licence}</th>
                <th>{s.vehicle.position}</th>
              </tr>
            </thead>
            <tbody>
              {(list.data ?? []).map((v) => (
                <tr key={v.plate}>
                  <td>
                    <Link href={`/vehicles/${encodeURIComponent(v.plate)}`}>{v.plate}</Link>
                    <div className="panel-hint mono">{v.terminal}</div>
                  </td>
                  <td>{s.classes[v.cls] ?? v.cls}</td>
                  <td className="hide-sm">{v.company}</td>
                  <td className="hide-sm">
                    <span className={v.licence === "valid" ? "badge ok" : "badge bad"}>{v.licence === "valid" ? s.vehicle.valid : v.licence}</span>
                  </td>
                  <td>
                    {v.position ? (
                      <>
                        <div className="num">{v.position.speedKmh.toFixed(0)} km/h</div>
                        <div className="panel-hint">{formatTime(v.position.ts, locale)}</div>
                      </>
                    ) : (
                      <span className="panel-hint">{s.vehicle.noPosition}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data?.length === 0 ? <div className="empty">{t.common.none}</div> : null}
        </div>
      </QueryState>
    </div>
  );
}
