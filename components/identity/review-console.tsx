"use client";
/**
 * The registry owner's review: open anomaly alerts with their follow-up, every lookup of the
 * registry (who, department, purpose, site, answer), and a person found by ID number — itself a
 * logged read — with who checked them, the card's history and a status change.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { CARD_STATUSES, CHECK_RESULTS } from "@/chain/contracts/identity";
import { errorText, QueryState } from "@/components/ui/query-state";
import { formatTime } from "@/lib/format";
import { idNumberProblem, normalizeIdNumber } from "@/lib/id-number";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { IDCHECK_STRINGS, resultTone } from "./strings";

type Names = { depts: Record<string, { name: string; nameEn: string }>; users: Record<string, { name: string; dept: string; status: string }> };

function useNames(names: Names | undefined) {
  const { locale } = useI18n();
  return {
    dept: (id: string) => (names?.depts[id] ? (locale === "en" ? names.depts[id].nameEn : names.depts[id].name) : id),
    user: (id: string) => names?.users[id]?.name ?? id,
  };
}

function AlertsPanel() {
  const { locale, t } = useI18n();
  const s = IDCHECK_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const q = useQuery({ ...trpc.identity.alerts.queryOptions({ status: "open", limit: 50 }), refetchInterval: 5000 });
  const act = useMutation(trpc.identity.act.mutationOptions({ onSuccess: () => void qc.invalidateQueries({ queryKey: trpc.identity.pathKey() }) }));
  const [notes, setNotes] = useState<Record<string, string>>({});
  const n = useNames(q.data?.names);
  return (
    <section className="panel" data-testid="idcheck-alerts">
      <div className="panel-head">
        <h2>{s.alerts}</h2>
        <span className="badge bad">{q.data?.alerts.length ?? 0}</span>
      </div>
      <QueryState isLoading={q.isLoading} error={q.error}>
        {q.data && !q.data.alerts.length ? <div className="empty">{s.noAlerts}</div> : null}
        <ul className="list">
          {q.data?.alerts.map((a) => (
            <li key={a.id} data-alert={a.id} data-kind={a.kind} style={{ flexDirection: "column", alignItems: "stretch" }}>
              <div className="row" style={{ gap: 8 }}>
                <span className={`badge ${a.severity === "critical" ? "bad" : "warn"}`}>{s.kinds[a.kind] ?? a.kind}</span>
                <span className="badge outline">
                  {s.statuses[a.status]}
                  {a.assignee ? ` · ${n.user(a.assignee)}` : ""}
                </span>
                <span className="mono">{a.record}</span>
                <span className="spacer" />
                <span className="meta">{formatTime(a.time, locale)}</span>
              </div>
              <div className="meta">
                {a.site.name} · {n.dept(a.verifierDept)}
                {a.duplicate ? ` · ${s.earlier(a.duplicate.site, a.duplicate.minutes, a.duplicate.km)}（${n.dept(a.duplicate.dept)}）` : ""}
              </div>
              <div className="row" style={{ gap: 6 }}>
                <input className="input" style={{ flex: 1, minWidth: 160 }} placeholder={s.reason} value={notes[a.id] ?? ""} onChange={(e) => setNotes({ ...notes, [a.id]: e.target.value })} data-testid="alert-note" />
                {a.status === "open" ? (
                  <button type="button" className="btn btn-ghost btn-sm" disabled={act.isPending} onClick={() => act.mutate({ id: a.id, action: "acknowledge" })} data-testid="alert-ack">
                    {s.acknowledge}
                  </button>
                ) : null}
                <select
                  className="input"
                  style={{ width: "auto" }}
                  value={a.assignee ?? ""}
                  aria-label={s.assign}
                  disabled={act.isPending}
                  onChange={(e) => e.target.value && act.mutate({ id: a.id, action: "assign", assignee: e.target.value })}
                  data-testid="alert-assign"
                >
                  <option value="">{s.assign}</option>
                  {Object.entries(q.data?.names.users ?? {})
                    .filter(([, u]) => u.dept === a.owner && u.status === "active")
                    .map(([id, u]) => (
                      <option key={id} value={id}>
                        {u.name}
                      </option>
                    ))}
                </select>
                <button type="button" className="btn btn-sm" disabled={act.isPending} onClick={() => act.mutate({ id: a.id, action: "confirm", ...(notes[a.id]?.trim() ? { note: notes[a.id].trim() } : {}) })} data-testid="alert-confirm">
                  {s.confirm}
                </button>
                <button type="button" className="btn btn-danger btn-sm" disabled={act.isPending} onClick={() => act.mutate({ id: a.id, action: "dismiss", note: notes[a.id]?.trim() || undefined })} data-testid="alert-dismiss">
                  {s.dismiss}
                </button>
              </div>
            </li>
          ))}
        </ul>
        {act.error ? (
          <div className="notice bad" role="alert" style={{ margin: 12 }}>
            {errorText(act.error, t)}
          </div>
        ) : null}
      </QueryState>
    </section>
  );
}

function LookupsPanel() {
  const { locale } = useI18n();
  const s = IDCHECK_STRINGS[locale];
  const trpc = useTRPC();
  const [result, setResult] = useState<(typeof CHECK_RESULTS)[number] | "">("");
  const [anomalies, setAnomalies] = useState(false);
  const q = useQuery({ ...trpc.identity.checks.queryOptions({ limit: 100, offset: 0, ...(result ? { result } : {}), ...(anomalies ? { anomalies } : {}) }), refetchInterval: 10_000 });
  const n = useNames(q.data?.names);
  return (
    <section className="panel" data-testid="idcheck-lookups">
      <div className="panel-head">
        <h2>{s.lookups}</h2>
        <div className="row" style={{ gap: 8 }}>
          <label className="row" style={{ gap: 4, fontSize: 13 }}>
            <input type="checkbox" checked={anomalies} onChange={(e) => setAnomalies(e.target.checked)} /> {s.anomaliesOnly}
          </label>
          <select className="input" value={result} onChange={(e) => setResult(e.target.value as typeof result)} aria-label={s.result}>
            <option value="">{s.allResults}</option>
            {CHECK_RESULTS.map((r) => (
              <option key={r} value={r}>
                {s.short[r]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <QueryState isLoading={q.isLoading} error={q.error}>
        {q.data ? (
          <div className="panel-body chips" style={{ paddingBottom: 0 }}>
            <span className="badge blue">
              {q.data.total} {s.total}
            </span>
            {Object.entries(q.data.byResult).map(([k, v]) => (
              <span key={k} className={`badge ${resultTone(k)}`}>
                {s.short[k] ?? k} {v}
              </span>
            ))}
            {Object.entries(q.data.byDept).map(([k, v]) => (
              <span key={k} className="badge outline">
                {n.dept(k)} {v}
              </span>
            ))}
          </div>
        ) : null}
        {q.data && !q.data.checks.length ? <div className="empty">{s.noChecks}</div> : null}
        {q.data?.checks.length ? (
          <div className="table-wrap">
            <table className="idcheck-table">
              <thead>
                <tr>
                  <th>{s.time}</th>
                  <th>{s.verifier}</th>
                  <th>{s.dept}</th>
                  <th>{s.purpose}</th>
                  <th>{s.site}</th>
                  <th>{s.result}</th>
                  <th>{s.subject}</th>
                </tr>
              </thead>
              <tbody>
                {q.data.checks.map((c) => (
                  <tr key={c.id} data-check={c.id}>
                    <td className="nowrap">{formatTime(c.time, locale)}</td>
                    <td>{n.user(c.verifier)}</td>
                    <td>{n.dept(c.dept)}</td>
                    <td>{c.purpose}</td>
                    <td>{c.site.name}</td>
                    <td>
                      <span className={`badge ${resultTone(c.result)}`}>{s.short[c.result]}</span>
                      {c.duplicate ? <span className="badge bad">{s.short.duplicate}</span> : null}
                    </td>
                    <td className="mono">{c.record ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </QueryState>
    </section>
  );
}

function PersonPanel() {
  const { locale, t } = useI18n();
  const s = IDCHECK_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [idNumber, setIdNumber] = useState("");
  const [purpose, setPurpose] = useState("");
  const [status, setStatus] = useState<(typeof CARD_STATUSES)[number]>("reported_stolen");
  const [note, setNote] = useState("");
  const person = useMutation(trpc.identity.person.mutationOptions());
  const setCard = useMutation(
    trpc.identity.setStatus.mutationOptions({
      onSuccess: () => {
        setNote("");
        void qc.invalidateQueries({ queryKey: trpc.identity.pathKey() });
        if (person.variables) person.mutate(person.variables);
      },
    }),
  );
  const typed = normalizeIdNumber(idNumber);
  const problem = typed.length >= 18 ? idNumberProblem(typed) : null;
  const p = person.data;
  const n = useNames(undefined);
  return (
    <section className="panel" data-testid="idcheck-person">
      <div className="panel-head">
        <h2>{s.findPerson}</h2>
      </div>
      <form
        className="panel-body form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          person.mutate({ idNumber: typed, purpose: purpose.trim() });
        }}
      >
        <div className="field">
          <label htmlFor="rv-id">{s.idNumber}</label>
          <input id="rv-id" className="input mono" value={idNumber} onChange={(e) => setIdNumber(e.target.value)} autoComplete="off" maxLength={22} data-testid="person-number" />
          {problem ? <span className="field-error">{problem}</span> : null}
        </div>
        <div className="field">
          <label htmlFor="rv-purpose">{s.findPurpose}</label>
          <input id="rv-purpose" className="input" value={purpose} onChange={(e) => setPurpose(e.target.value)} maxLength={200} data-testid="person-purpose" />
        </div>
        <button type="submit" className="btn" disabled={typed.length !== 18 || !!problem || purpose.trim().length < 4 || person.isPending} data-testid="person-find">
          {s.find}
        </button>
      </form>
      {person.error ? (
        <div className="notice bad" role="alert" style={{ margin: "0 16px 12px" }}>
          {errorText(person.error, t)}
        </div>
      ) : null}
      {p && !p.found ? <div className="empty">{s.notFound}</div> : null}
      {p?.found ? (
        <div className="panel-body stack" style={{ gap: 12, paddingTop: 0 }} data-testid="person-card" data-record={p.key}>
          <dl className="kv">
            <dt>{s.name}</dt>
            <dd>{(p.person.name as string | undefined) ?? <span className="panel-hint">{s.hidden}</span>}</dd>
            <dt>{s.cardStatus}</dt>
            <dd>
              <span className={`badge ${p.attrs.cardStatus === "valid" ? "ok" : "bad"}`} data-testid="person-status">
                {s.cardStatuses[String(p.attrs.cardStatus)] ?? String(p.attrs.cardStatus)}
              </span>
            </dd>
            <dt>{s.cardIssued}</dt>
            <dd>{String(p.attrs.cardIssued ?? "—")}</dd>
            <dt>{s.cardExpires}</dt>
            <dd>{String(p.attrs.cardExpires ?? "—")}</dd>
            <dt>{s.authority}</dt>
            <dd>{String(p.attrs.authority ?? "—")}</dd>
          </dl>
          <div>
            <strong>{s.whoChecked}</strong>
            {!p.checks.length ? <div className="empty">{s.noChecks}</div> : null}
            <ul className="list" data-testid="person-checks">
              {p.checks.map((c) => (
                <li key={c.id}>
                  <span className={`badge ${resultTone(c.result)}`}>{s.short[c.result]}</span>
                  <div className="grow">
                    <div className="ellipsis">
                      {c.verifier} · {n.dept(c.dept)} · {c.purpose}
                    </div>
                    <div className="meta">
                      {formatTime(c.time, locale)} · {c.site.name}
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          </div>
          <div>
            <strong>{s.history}</strong>
            <ul className="list">
              {p.history.map((h) => (
                <li key={h.seq}>
                  <span className="badge blue">{t.txTypes[h.type] ?? h.type}</span>
                  <div className="grow">
                    <div>{h.status ? `${s.cardStatuses[h.status] ?? h.status} · ${h.note ?? ""}` : (h.purpose ?? "")}</div>
                    <div className="meta">
                      {formatTime(h.time, locale)} · {h.actor} · #{h.seq}
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          </div>
          <form
            className="form-grid"
            onSubmit={(e) => {
              e.preventDefault();
              setCard.mutate({ record: p.key, status, note: note.trim() });
            }}
          >
            <div className="field">
              <label htmlFor="rv-status">{s.setStatus}</label>
              <select id="rv-status" className="input" value={status} onChange={(e) => setStatus(e.target.value as typeof status)} data-testid="person-new-status">
                {CARD_STATUSES.map((c) => (
                  <option key={c} value={c}>
                    {s.cardStatuses[c]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="rv-note">{s.reason}</label>
              <input id="rv-note" className="input" value={note} onChange={(e) => setNote(e.target.value)} maxLength={300} data-testid="person-status-note" />
            </div>
            <button type="submit" className="btn" disabled={note.trim().length < 2 || setCard.isPending} data-testid="person-status-save">
              {s.save}
            </button>
          </form>
          {setCard.error ? (
            <div className="notice bad" role="alert">
              {errorText(setCard.error, t)}
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

export function ReviewConsole() {
  return (
    <div className="stack" style={{ gap: 16 }}>
      <div className="grid grid-2" style={{ alignItems: "start" }}>
        <AlertsPanel />
        <PersonPanel />
      </div>
      <LookupsPanel />
    </div>
  );
}
