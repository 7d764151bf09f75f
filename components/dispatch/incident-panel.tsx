"use client";
/**
 * One incident on the dispatcher's screen: SLA timers (overdue in red), recommended units by road
 * ETA with dispatch buttons, assigned units, support / transfer / close, and the ledger timeline.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorText, QueryState } from "@/components/ui/query-state";
import { formatTime } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import type { Locale } from "@/lib/i18n/locale";
import { DISPATCH_STRINGS, formatDuration } from "./strings";

const BUREAUS = ["emergency", "fire", "health", "traffic_police", "public_security", "environment"] as const;
type Bureau = (typeof BUREAUS)[number];

export function IncidentPanel({ id, canWork, now }: { id: string; canWork: boolean; now: number }) {
  const { locale, t } = useI18n();
  const s = DISPATCH_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [capability, setCapability] = useState<string | undefined>(undefined);
  const [action, setAction] = useState<{ kind: "support" | "transfer" | "close"; bureau: Bureau; note: string } | null>(null);
  const incident = useQuery({ ...trpc.dispatch.incident.queryOptions({ id }), refetchInterval: 3000 });
  const rec = useQuery({ ...trpc.dispatch.recommend.queryOptions({ id, capability: capability as never }), enabled: canWork && incident.data?.status !== "closed", refetchInterval: 5000 });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: trpc.dispatch.pathKey() });
  };
  const dispatch = useMutation(trpc.dispatch.dispatch.mutationOptions({ onSuccess: refresh }));
  const support = useMutation(trpc.dispatch.support.mutationOptions({ onSuccess: () => (setAction(null), refresh()) }));
  const transfer = useMutation(trpc.dispatch.transfer.mutationOptions({ onSuccess: () => (setAction(null), refresh()) }));
  const close = useMutation(trpc.dispatch.close.mutationOptions({ onSuccess: () => (setAction(null), refresh()) }));
  const err = dispatch.error ?? support.error ?? transfer.error ?? close.error;
  const inc = incident.data;

  return (
    <QueryState isLoading={incident.isLoading} error={incident.error}>
      {inc ? (
        <div className="stack" style={{ gap: 12 }} data-testid="incident-panel" data-incident={inc.id} data-status={inc.status}>
          <div>
            <div className="row">
              <strong>{s.types[inc.type]}</strong>
              <span className={inc.severity === "critical" || inc.severity === "high" ? "badge bad" : "badge warn"}>{s.severities[inc.severity]}</span>
              <span className={inc.status === "closed" ? "badge ok" : "badge blue"} data-testid="incident-status">
                {s.statuses[inc.status]}
              </span>
              <span className="spacer" />
              <span className="panel-hint">{inc.id}</span>
            </div>
            <div>{inc.address}</div>
            <div className="panel-hint">
              {s.source[inc.source.kind]}
              {inc.source.kind === "alarm" ? ` · ${inc.source.plate} · ${inc.source.alarm}` : ""} · {s.lead}: {s.bureaus[inc.lead] ?? inc.lead}
              {inc.support.length ? ` · ${s.support}: ${inc.support.map((b) => s.bureaus[b] ?? b).join("、")}` : ""}
            </div>
            {inc.notes ? <div className="panel-hint">{inc.notes}</div> : null}
            <CallerLine id={inc.id} caller={inc.caller} withheld={inc.hidden.find((h) => h.name === "caller")} s={s} />
          </div>

          <div className="stats" data-testid="sla-timers" style={{ gridTemplateColumns: "repeat(3, minmax(0, 1fr))" }}>
            {inc.timers.map((tm) => {
              const elapsed = tm.start === null ? null : tm.end !== null ? tm.elapsedS : Math.max(0, (Math.min(now, inc.closedAt ?? now) - tm.start) / 1000);
              const overdue = elapsed !== null && elapsed > tm.targetS;
              return (
                <div key={tm.key} className="stat" data-testid={`timer-${tm.key}`} data-overdue={overdue ? "true" : "false"} data-state={tm.start === null ? "pending" : tm.end !== null ? "done" : "running"} style={overdue ? { background: "var(--bad-soft)", color: "var(--bad)" } : undefined}>
                  <div className="stat-label">{s.timerNames[tm.key]}</div>
                  <div className="stat-value">{formatDuration(elapsed)}</div>
                  <div className="panel-hint">
                    {s.target} {formatDuration(tm.targetS)} · {tm.start === null ? s.pending : tm.end !== null ? s.done : s.running}
                    {overdue ? ` · ${s.overdue}` : ""}
                  </div>
                </div>
              );
            })}
          </div>

          {canWork && inc.status !== "closed" ? (
            <div className="stack" style={{ gap: 6 }}>
              <div className="row">
                <strong>{s.recommend}</strong>
                <span className="spacer" />
                <label className="row">
                  {s.capability}
                  <select className="input" value={capability ?? rec.data?.capability ?? ""} onChange={(e) => setCapability(e.target.value)} data-testid="recommend-capability">
                    {Object.keys(s.capabilities).map((c) => (
                      <option key={c} value={c}>
                        {s.capabilities[c]}
                        {inc.needs.includes(c as never) ? " ★" : ""}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              <div className="table-wrap">
                <table className="table" data-testid="recommendations">
                  <thead>
                    <tr>
                      <th>{s.units}</th>
                      <th>{s.eta}</th>
                      <th className="hide-sm">{s.road}</th>
                      <th className="hide-sm">{s.straight}</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {(rec.data?.units ?? []).map((r, i) => (
                      <tr key={r.unit.id} data-testid={`rec-${r.unit.id}`} data-rank={i + 1} data-eta={r.etaS}>
                        <td>
                          <div>{r.unit.name}</div>
                          <div className="panel-hint">
                            {s.unitKinds[r.unit.kind]} · {r.unit.station} · {r.unit.positionSource === "live" ? s.live : s.atStation}
                          </div>
                        </td>
                        <td className="nowrap" data-testid="rec-eta">
                          {formatDuration(r.etaS)}
                        </td>
                        <td className="hide-sm nowrap">{(r.roadM / 1000).toFixed(1)} km</td>
                        <td className="hide-sm nowrap">{(r.straightM / 1000).toFixed(1)} km</td>
                        <td>
                          <button type="button" className="btn btn-sm" disabled={dispatch.isPending} onClick={() => dispatch.mutate({ id: inc.id, units: [r.unit.id] })} data-testid="rec-dispatch">
                            {s.dispatch}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {rec.data && rec.data.units.length === 0 ? <div className="empty">{s.noUnits}</div> : null}
              </div>
            </div>
          ) : null}

          {inc.units.length ? (
            <div className="stack" style={{ gap: 6 }}>
              <strong>{s.assigned}</strong>
              <ul className="list" data-testid="assigned-units">
                {inc.units.map((u) => (
                  <li key={`${u.unit}-${u.dispatchedAt}`} data-testid={`assigned-${u.unit}`} data-status={u.status} className="row">
                    <span>{u.name}</span>
                    <span className="badge blue">{s.unitStatuses[u.status] ?? u.status}</span>
                    <span className="panel-hint">
                      {s.dispatched} {formatTime(u.dispatchedAt, locale).slice(-8)}
                      {u.etaS !== undefined ? ` · ${s.eta} ${formatDuration(u.etaS)}` : ""}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}

          {canWork && inc.status !== "closed" ? (
            <div className="stack" style={{ gap: 6 }}>
              <div className="row">
                <button type="button" className="btn btn-ghost btn-sm" onClick={() => setAction({ kind: "support", bureau: "fire", note: "" })} data-testid="action-support">
                  {s.requestSupport}
                </button>
                <button type="button" className="btn btn-ghost btn-sm" onClick={() => setAction({ kind: "transfer", bureau: "emergency", note: "" })} data-testid="action-transfer">
                  {s.transfer}
                </button>
                <button type="button" className="btn btn-ghost btn-sm" onClick={() => setAction({ kind: "close", bureau: "emergency", note: "" })} data-testid="action-close">
                  {s.close}
                </button>
              </div>
              {action ? (
                <form
                  className="row"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (action.kind === "close") close.mutate({ id: inc.id, note: action.note });
                    else (action.kind === "support" ? support : transfer).mutate({ id: inc.id, bureau: action.bureau, note: action.note });
                  }}
                >
                  {action.kind !== "close" ? (
                    <select className="input" value={action.bureau} onChange={(e) => setAction({ ...action, bureau: e.target.value as Bureau })} data-testid="action-bureau">
                      {BUREAUS.map((b) => (
                        <option key={b} value={b}>
                          {s.bureaus[b]}
                        </option>
                      ))}
                    </select>
                  ) : null}
                  <input className="input" required style={{ flex: 1 }} placeholder={action.kind === "close" ? s.outcome : s.reason} value={action.note} onChange={(e) => setAction({ ...action, note: e.target.value })} data-testid="action-note" />
                  <button className="btn btn-sm" type="submit" data-testid="action-submit">
                    {s.submit}
                  </button>
                  <button className="btn btn-ghost btn-sm" type="button" onClick={() => setAction(null)}>
                    {t.common.cancel}
                  </button>
                </form>
              ) : null}
            </div>
          ) : null}
          {err ? (
            <div className="notice bad" role="alert" data-testid="dispatch-error">
              {errorText(err, t)}
            </div>
          ) : null}

          <div className="stack" style={{ gap: 6 }}>
            <strong>{s.timeline}</strong>
            <ol className="list" data-testid="timeline">
              {inc.timeline.map((e) => (
                <li key={e.seq} data-action={e.action} className="row">
                  <span className="panel-hint nowrap">{formatTime(e.time, locale).slice(-8)}</span>
                  <span>{s.actions[e.action] ?? e.action}</span>
                  {e.unit ? <span>{inc.units.find((u) => u.unit === e.unit)?.name ?? e.unit}</span> : null}
                  {e.status ? <span className="badge">{s.unitStatuses[e.status] ?? e.status}</span> : null}
                  {e.bureau ? <span className="badge">{s.bureaus[e.bureau] ?? e.bureau}</span> : null}
                  {e.note ? <span className="panel-hint">{e.note}</span> : null}
                  <span className="spacer" />
                  <span className="panel-hint">
                    {e.actor} · <Link href={`/explorer/tx/${inc.ledger.find((x) => x.seq === e.seq)?.hash ?? ""}`}>#{e.seq}</Link>
                  </span>
                </li>
              ))}
            </ol>
          </div>
        </div>
      ) : null}
    </QueryState>
  );
}

/**
 * The caller as the sharing policy lets this user see it: withheld with the reason, or, for a reader
 * the policy allows, a button that opens it once (a mutation: one logged read per press, not per refetch).
 */
function CallerLine({ id, caller, withheld, s }: { id: string; caller?: string; withheld?: { reason: string; revealable?: true }; s: (typeof DISPATCH_STRINGS)[Locale] }) {
  const trpc = useTRPC();
  const { t } = useI18n();
  const reveal = useMutation(trpc.dispatch.revealCaller.mutationOptions());
  const shown = caller ?? (reveal.data?.id === id ? reveal.data.caller : undefined);
  if (shown) {
    return (
      <div className="panel-hint" data-testid="incident-caller" title={s.callerSealed}>
        {s.callerLabel}: {shown}
      </div>
    );
  }
  if (!withheld) return null;
  if (withheld.revealable) {
    return (
      <div className="panel-hint row" style={{ gap: 8, alignItems: "center" }}>
        <span>
          {s.callerLabel}: {s.callerWithheld}
        </span>
        <button className="btn btn-ghost btn-sm" type="button" data-testid="incident-caller-reveal" title={s.callerSealed} disabled={reveal.isPending} onClick={() => reveal.mutate({ id })}>
          {s.callerReveal}
        </button>
        {reveal.error ? (
          <span className="bad" role="alert">
            {errorText(reveal.error, t)}
          </span>
        ) : null}
      </div>
    );
  }
  return (
    <div className="panel-hint" data-testid="incident-caller-withheld" title={withheld.reason}>
      {s.callerLabel}: {s.callerWithheld} · {withheld.reason}
    </div>
  );
}
