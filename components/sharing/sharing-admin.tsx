"use client";
/** Sharing administration: pending requests (approve, narrow, deny), grants (revoke), the grants matrix and the read audit. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorText, QueryState } from "@/components/ui/query-state";
import { formatTime, shortHash } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import type { RouterOutputs } from "@/server/api/root";
import { StatusBadge } from "./dataset-detail";
import css from "./matrix.module.css";
import { SHARING_STRINGS, type SharingStrings } from "./strings";

type Tab = "requests" | "grants" | "matrix" | "audit";
type Request = RouterOutputs["sharing"]["requests"][number];

export function SharingAdmin({ initialTab = "requests" }: { initialTab?: Tab }) {
  const { locale } = useI18n();
  const s = SHARING_STRINGS[locale];
  const [tab, setTab] = useState<Tab>(initialTab);
  return (
    <>
      <div className="tabs" role="tablist">
        {(Object.keys(s.admin.tabs) as Tab[]).map((k) => (
          <button key={k} type="button" role="tab" className="tab" aria-selected={tab === k} onClick={() => setTab(k)} data-testid={`tab-${k}`}>
            {s.admin.tabs[k]}
          </button>
        ))}
      </div>
      {tab === "requests" ? <PendingRequests s={s} /> : tab === "grants" ? <Grants s={s} /> : tab === "matrix" ? <GrantsMatrix s={s} /> : <ReadAudit s={s} />}
    </>
  );
}

function useInvalidateSharing() {
  const qc = useQueryClient();
  const trpc = useTRPC();
  return () => qc.invalidateQueries({ queryKey: trpc.sharing.pathKey() });
}

function PendingRequests({ s }: { s: SharingStrings }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.sharing.requests.queryOptions({ box: "incoming", status: "pending" }));
  return (
    <QueryState isLoading={list.isLoading} error={list.error}>
      <div className="stack" data-testid="pending-requests">
        {(list.data ?? []).map((r) => (
          <DecideCard key={r.id} r={r} s={s} />
        ))}
        {list.data?.length === 0 ? <div className="panel empty">{s.admin.none}</div> : null}
      </div>
    </QueryState>
  );
}

function DecideCard({ r, s }: { r: Request; s: SharingStrings }) {
  const { locale, t } = useI18n();
  const trpc = useTRPC();
  const invalidate = useInvalidateSharing();
  const [fields, setFields] = useState(r.fields);
  const [days, setDays] = useState(r.durationDays);
  const [note, setNote] = useState("");
  const decide = useMutation(trpc.sharing.decide.mutationOptions({ onSuccess: invalidate }));
  const narrowed = fields.length < r.fields.length || days < r.durationDays;
  return (
    <section className="panel" data-testid={`request-${r.id}`}>
      <header className="panel-head">
        <h2>
          <Link href={`/catalogue/${encodeURIComponent(r.dataset)}`}>{r.dataset}</Link>
        </h2>
        <span className="panel-hint">
          {r.requestedBy}@{r.dept} · {formatTime(r.steps[0].time, locale)} · <span className="mono">{r.id}</span>
        </span>
      </header>
      <div className="panel-body stack">
        <div>
          <span className="panel-hint">{s.request.purpose}: </span>
          {r.purpose}
          {r.rowFilter ? <span className="badge blue" style={{ marginLeft: 8 }}>{Object.values(r.rowFilter).join(", ")}</span> : null}
        </div>
        <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="panel-hint">{s.request.fields}</legend>
          {r.fields.map((f) => (
            <label key={f} className="row" style={{ gap: 4 }}>
              <input type="checkbox" checked={fields.includes(f)} onChange={(e) => setFields((x) => (e.target.checked ? [...x, f] : x.filter((n) => n !== f)))} data-testid={`decide-field-${f}`} />
              <span className="mono">{f}</span>
            </label>
          ))}
        </fieldset>
        <div className="form-grid">
          <div className="field">
            <label>{s.request.duration}</label>
            <input className="input" type="number" min={1} max={r.durationDays} value={days} onChange={(e) => setDays(Number(e.target.value))} />
          </div>
          <div className="field" style={{ gridColumn: "span 2" }}>
            <label>{s.admin.note}</label>
            <input className="input" value={note} onChange={(e) => setNote(e.target.value)} data-testid="decide-note" />
          </div>
          <div className="row">
            <button type="button" className="btn" disabled={decide.isPending || !fields.length} onClick={() => decide.mutate({ id: r.id, decision: "approve", ...(narrowed ? { fields, durationDays: days } : {}), ...(note ? { note } : {}) })} data-testid="approve">
              {narrowed ? s.admin.narrow : s.admin.approve}
            </button>
            <button type="button" className="btn btn-danger" disabled={decide.isPending} onClick={() => decide.mutate({ id: r.id, decision: "deny", note })} data-testid="deny">
              {s.admin.deny}
            </button>
          </div>
        </div>
        {decide.error ? <div className="notice bad" role="alert">{errorText(decide.error, t)}</div> : null}
      </div>
    </section>
  );
}

function Grants({ s }: { s: SharingStrings }) {
  const { locale, t } = useI18n();
  const trpc = useTRPC();
  const invalidate = useInvalidateSharing();
  const list = useQuery(trpc.sharing.requests.queryOptions({ box: "incoming", status: "active" }));
  const revoke = useMutation(trpc.sharing.revoke.mutationOptions({ onSuccess: invalidate }));
  const [reason, setReason] = useState<Record<string, string>>({});
  return (
    <QueryState isLoading={list.isLoading} error={list.error}>
      {revoke.error ? <div className="notice bad" role="alert">{errorText(revoke.error, t)}</div> : null}
      <div className="panel table-wrap">
        <table data-testid="grants-table">
          <thead>
            <tr>
              <th>{s.dataset}</th>
              <th>{s.requester}</th>
              <th>{s.fields}</th>
              <th>{s.expires}</th>
              <th>{s.admin.revoke}</th>
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((r) => (
              <tr key={r.id} data-testid={`grant-${r.id}`}>
                <td>
                  <Link href={`/catalogue/${encodeURIComponent(r.dataset)}`}>{r.dataset}</Link>
                  <div className="panel-hint mono">{r.id}</div>
                </td>
                <td>{r.dept}</td>
                <td>
                  {r.grant?.fields.join(", ")}
                  {r.grant?.rowFilter ? <div className="panel-hint">{Object.values(r.grant.rowFilter).join(", ")}</div> : null}
                </td>
                <td>
                  <StatusBadge status={r.status} expires={r.grant?.expires} s={s} />
                  <div className="panel-hint">{formatTime(r.grant?.expires, locale)}</div>
                </td>
                <td>
                  <div className="row">
                    <input className="input" style={{ maxWidth: 160 }} placeholder={s.admin.revokeReason} aria-label={s.admin.revokeReason} value={reason[r.id] ?? ""} onChange={(e) => setReason((x) => ({ ...x, [r.id]: e.target.value }))} data-testid="revoke-reason" />
                    <button type="button" className="btn btn-danger btn-sm" disabled={revoke.isPending} onClick={() => revoke.mutate({ id: r.id, reason: reason[r.id] ?? "" })} data-testid="revoke">
                      {s.admin.revoke}
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data?.length === 0 ? <div className="empty">{s.admin.none}</div> : null}
      </div>
    </QueryState>
  );
}

function GrantsMatrix({ s }: { s: SharingStrings }) {
  const { locale } = useI18n();
  const en = locale === "en";
  const trpc = useTRPC();
  const m = useQuery(trpc.sharing.matrix.queryOptions());
  const depth = (id: string) => id.split(".").length - 1;
  return (
    <QueryState isLoading={m.isLoading} error={m.error}>
      {m.data ? (
        <section className="panel">
          <header className="panel-head">
            <h2>{s.admin.tabs.matrix}</h2>
            <span className="panel-hint">{s.admin.matrixHint}</span>
          </header>
          <div className={css.wrap}>
            <table className={css.matrix} data-testid="grants-matrix">
              <thead>
                <tr>
                  <th className={css.dept}>{s.deptCol}</th>
                  {m.data.datasets.map((d) => (
                    <th key={d.id} className={css.col} title={d.id}>
                      <Link href={`/catalogue/${encodeURIComponent(d.id)}`}>{en ? d.nameEn : d.name}</Link>
                      {d.sealed ? <span className="badge warn">{s.sealedShort}</span> : null}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {m.data.rows.map((r) => (
                  <tr key={r.dept.id} data-testid={`matrix-${r.dept.id}`}>
                    <th className={css.dept} style={{ paddingLeft: 8 + depth(r.dept.id) * 14 }} title={r.dept.id}>
                      {en ? r.dept.nameEn : r.dept.name}
                    </th>
                    {r.cells.map((c) => (
                      <td key={c.dataset} className={css.cell}>
                        {c.basis === "owner" ? (
                          <span className="badge ok" title={s.basis.owner}>{s.admin.owner}</span>
                        ) : c.basis === "hierarchy" ? (
                          <span className="badge" title={s.basis.hierarchy}>{s.admin.hierarchy}</span>
                        ) : c.basis === "grant" ? (
                          <span className="badge blue" title={c.grants?.map((g) => `${g.id}: ${g.fields} · ${formatTime(g.expires, locale)}`).join("\n")} data-testid={`cell-grant-${c.dataset}`}>
                            {s.admin.grant}
                            {c.grants?.some((g) => g.rowFilter) ? "*" : ""}
                          </span>
                        ) : (
                          <span className={css.none}>·</span>
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </QueryState>
  );
}

function ReadAudit({ s }: { s: SharingStrings }) {
  const { locale } = useI18n();
  const trpc = useTRPC();
  const a = useQuery(trpc.sharing.audit.queryOptions({ limit: 200 }));
  return (
    <QueryState isLoading={a.isLoading} error={a.error}>
      <div className="panel table-wrap">
        <table data-testid="read-audit">
          <thead>
            <tr>
              <th>{s.admin.time}</th>
              <th>{s.admin.reader}</th>
              <th>{s.dataset}</th>
              <th>{s.admin.basisCol}</th>
              <th className="hide-sm">{s.admin.fieldsCol}</th>
              <th>{s.admin.recordsCol}</th>
              <th>{s.admin.purposeCol}</th>
              <th className="hide-sm">tx</th>
            </tr>
          </thead>
          <tbody>
            {(a.data ?? []).map((r) => (
              <tr key={r.seq}>
                <td>{formatTime(r.ts, locale)}</td>
                <td>
                  {r.actor}
                  <div className="panel-hint">{r.dept}</div>
                </td>
                <td>{r.dataset}</td>
                <td>
                  {s.basis[r.basis] ?? r.basis}
                  {r.grant ? <div className="panel-hint mono">{r.grant}</div> : null}
                </td>
                <td className="hide-sm">{r.fields.join(", ")}</td>
                <td className="num">{r.records}</td>
                <td>{r.purpose}</td>
                <td className="hide-sm">
                  <Link className="mono" href={`/explorer/tx/${r.hash}`}>
                    {shortHash(r.hash, 8, 4)}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {a.data?.length === 0 ? <div className="empty">{s.admin.none}</div> : null}
      </div>
    </QueryState>
  );
}
