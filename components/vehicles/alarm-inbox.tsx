"use client";
/** The alarm inbox: filter by status, work an alarm (acknowledge, assign, escalate, close); every step is a ledger transaction. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorText, QueryState } from "@/components/ui/query-state";
import { formatTime } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { VEHICLE_STRINGS } from "./strings";

const STATUSES = ["active", "open", "acknowledged", "assigned", "escalated", "closed"] as const;
type Action = "acknowledge" | "assign" | "escalate" | "close";

export function AlarmInbox({ canAct }: { canAct: boolean }) {
  const { locale, t } = useI18n();
  const s = VEHICLE_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [status, setStatus] = useState<(typeof STATUSES)[number]>("active");
  const [working, setWorking] = useState<{ id: string; action: Action; note: string; assignee: string; incident: string } | null>(null);
  const alarms = useQuery({ ...trpc.alarms.list.queryOptions({ status, limit: 200 }), refetchInterval: 5000 });
  const act = useMutation(
    trpc.alarms.act.mutationOptions({
      onSuccess: () => {
        setWorking(null);
        void qc.invalidateQueries({ queryKey: trpc.alarms.list.queryKey() });
      },
    }),
  );
  const start = (id: string, action: Action) => setWorking({ id, action, note: "", assignee: "", incident: "" });

  return (
    <div className="stack">
      <div className="row">
        {STATUSES.map((st) => (
          <button key={st} type="button" className={st === status ? "btn btn-sm" : "btn btn-ghost btn-sm"} onClick={() => setStatus(st)} data-testid={`alarm-filter-${st}`}>
            {s.filters[st]}
          </button>
        ))}
        <span className="spacer" />
        <span className="panel-hint">
          {alarms.data ? `${alarms.data.length} ${s.alarm.count} · ` : ""}
          {s.alarm.refreshing}
        </span>
      </div>
      <QueryState isLoading={alarms.isLoading} error={alarms.error}>
        <div className="panel table-wrap">
          <table className="table" data-testid="alarm-table">
            <thead>
              <tr>
                <th>{s.alarm.time}</th>
                <th>{s.alarm.type}</th>
                <th>{s.alarm.subject}</th>
                <th className="hide-sm">{s.alarm.severity}</th>
                <th>{s.alarm.status}</th>
                {canAct ? <th>{t.common.actions}</th> : null}
              </tr>
            </thead>
            <tbody>
              {(alarms.data ?? []).map((a) => (
                <tr key={a.id} data-testid={`alarm-${a.id}`} data-alarm-type={a.type}>
                  <td className="nowrap">{formatTime(a.at, locale)}</td>
                  <td>
                    <div>{s.types[a.type] ?? a.type}</div>
                    <div className="panel-hint">
                      {a.speedKmh !== undefined && a.limitKmh !== undefined ? `${a.speedKmh} / ${a.limitKmh} km/h` : (a.geofence ?? a.detail ?? "")}
                    </div>
                  </td>
                  <td>
                    <Link href={`/vehicles/${encodeURIComponent(a.subject)}?at=${a.at}`}>{a.subject}</Link>
                  </td>
                  <td className="hide-sm">
                    <span className={a.severity === "critical" ? "badge bad" : a.severity === "warning" ? "badge warn" : "badge"}>{s.severities[a.severity] ?? a.severity}</span>
                  </td>
                  <td>
                    <span className={a.status === "closed" ? "badge ok" : "badge"}>{s.filters[a.status as keyof typeof s.filters] ?? a.status}</span>
                    <div className="panel-hint">
                      <Link href={`/explorer/record?ns=alarm&key=${encodeURIComponent(a.id)}`}>
                        {s.alarm.history} ({a.steps.length})
                      </Link>
                    </div>
                  </td>
                  {canAct ? (
                    <td>
                      {working?.id === a.id ? (
                        <form
                          className="stack"
                          style={{ gap: 6, minWidth: 200 }}
                          onSubmit={(e) => {
                            e.preventDefault();
                            act.mutate({
                              id: a.id,
                              action: working.action,
                              note: working.note || undefined,
                              assignee: working.action === "assign" ? working.assignee : undefined,
                              incident: working.action === "escalate" && working.incident ? working.incident : undefined,
                            });
                          }}
                        >
                          {working.action === "assign" ? (
                            <input className="input" required placeholder={s.alarm.assignee} value={working.assignee} onChange={(e) => setWorking({ ...working, assignee: e.target.value })} />
                          ) : null}
                          {working.action === "escalate" ? (
                            <input className="input" placeholder={s.alarm.incident} value={working.incident} onChange={(e) => setWorking({ ...working, incident: e.target.value })} />
                          ) : null}
                          <input
                            className="input"
                            required={working.action === "close"}
                            placeholder={working.action === "close" ? s.alarm.notePlaceholder : s.alarm.note}
                            value={working.note}
                            onChange={(e) => setWorking({ ...working, note: e.target.value })}
                            data-testid="alarm-note"
                          />
                          <span className="row">
                            <button className="btn btn-sm" type="submit" disabled={act.isPending} data-testid="alarm-submit">
                              {s.alarm[working.action]}
                            </button>
                            <button className="btn btn-ghost btn-sm" type="button" onClick={() => setWorking(null)}>
                              {t.common.cancel}
                            </button>
                          </span>
                          {act.error ? <div className="notice bad">{errorText(act.error, t)}</div> : null}
                        </form>
                      ) : a.status === "closed" ? null : !a.mayAct ? (
                        <span className="panel-hint" data-testid="alarm-owner">
                          {s.alarm.ownedBy} {a.owner}
                        </span>
                      ) : (
                        <span className="row" style={{ gap: 4 }}>
                          {a.status === "open" ? (
                            <button type="button" className="btn btn-sm" onClick={() => act.mutate({ id: a.id, action: "acknowledge" })} disabled={act.isPending} data-testid="alarm-ack">
                              {s.alarm.acknowledge}
                            </button>
                          ) : null}
                          <button type="button" className="btn btn-ghost btn-sm" onClick={() => start(a.id, "assign")}>
                            {s.alarm.assign}
                          </button>
                          {a.status !== "escalated" ? (
                            <button type="button" className="btn btn-ghost btn-sm" onClick={() => start(a.id, "escalate")}>
                              {s.alarm.escalate}
                            </button>
                          ) : null}
                          <button type="button" className="btn btn-ghost btn-sm" onClick={() => start(a.id, "close")} data-testid="alarm-close">
                            {s.alarm.close}
                          </button>
                        </span>
                      )}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          {alarms.data?.length === 0 ? <div className="empty">{t.common.none}</div> : null}
        </div>
      </QueryState>
    </div>
  );
}
