"use client";
/** One catalogued dataset: fields and sensitivity, my access, reading its data, requesting access, and its history. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { errorText, QueryState } from "@/components/ui/query-state";
import { formatTime, shortHash } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { AccessBadge, SensitivityBadge } from "./access-badge";
import { SHARING_STRINGS, type SharingStrings } from "./strings";

export function DatasetDetail({ id, canRequest, canGrant }: { id: string; canRequest: boolean; canGrant: boolean }) {
  const { locale } = useI18n();
  const s = SHARING_STRINGS[locale];
  const en = locale === "en";
  const trpc = useTRPC();
  const ds = useQuery(trpc.sharing.dataset.queryOptions({ id }));
  const d = ds.data;
  return (
    <QueryState isLoading={ds.isLoading} error={ds.error}>
      {d ? (
        <div className="stack">
          <section className="panel">
            <header className="panel-head">
              <h2>{en ? d.entry.nameEn : d.entry.name}</h2>
              <AccessBadge access={d.access} s={s} />
            </header>
            <div className="panel-body stack">
              <p style={{ margin: 0 }}>{en ? d.entry.descriptionEn : d.entry.description}</p>
              <dl className="kv">
                <dt>{s.owner}</dt>
                <dd>
                  {d.ownerName ? (en ? d.ownerName.nameEn : d.ownerName.name) : d.entry.owner} <span className="panel-hint mono">{d.entry.owner}</span>
                </dd>
                <dt>{s.retention}</dt>
                <dd>
                  {d.entry.retentionDays} {s.days}
                </dd>
                <dt>{s.reads}</dt>
                <dd className="num">{d.reads.reads}</dd>
                {d.access.ok ? (
                  <>
                    <dt>{s.visible}</dt>
                    <dd data-testid="visible-fields">{d.access.fields.join(", ")}</dd>
                    {d.access.rowFilter ? (
                      <>
                        <dt>{s.rowFilter}</dt>
                        <dd>{Object.entries(d.access.rowFilter).map(([k, v]) => `${k} = ${v}`).join(", ")}</dd>
                      </>
                    ) : null}
                  </>
                ) : (
                  <>
                    <dt>{s.denied}</dt>
                    <dd data-testid="access-reason">{d.access.reason}</dd>
                  </>
                )}
              </dl>
            </div>
          </section>

          <section className="panel table-wrap">
            <header className="panel-head">
              <h2>{s.fields}</h2>
            </header>
            <table data-testid="field-table">
              <thead>
                <tr>
                  <th>{s.field.name}</th>
                  <th>{s.field.label}</th>
                  <th>{s.field.sensitivity}</th>
                  <th>{s.field.storage}</th>
                </tr>
              </thead>
              <tbody>
                {d.entry.fields.map((f) => (
                  <tr key={f.name}>
                    <td className="mono">{f.name}</td>
                    <td>{en ? f.labelEn : f.label}</td>
                    <td>
                      <SensitivityBadge level={f.sensitivity} s={s} />
                    </td>
                    <td>{f.sealed ? <span className="badge warn">{s.sealed} AES-256-GCM</span> : <span className="panel-hint">{s.clear}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <DataReader id={id} s={s} />

          {d.entry.owner === d.mine && canGrant ? <GrantForm id={id} fields={d.entry.fields} rowKey={d.entry.rowKey ?? null} districts={d.districts} departments={d.departments.filter((x) => x.id !== d.mine)} s={s} /> : null}

          {d.entry.owner !== d.mine ? (
            canRequest ? (
              <RequestForm id={id} fields={d.entry.fields} rowKey={d.entry.rowKey ?? null} districts={d.districts} s={s} />
            ) : (
              <div className="notice info">{s.request.cannot}</div>
            )
          ) : null}

          <section className="panel table-wrap">
            <header className="panel-head">
              <h2>{s.history}</h2>
            </header>
            <table data-testid="request-history">
              <thead>
                <tr>
                  <th>{s.requester}</th>
                  <th>{s.fields}</th>
                  <th>{s.statusCol}</th>
                  <th className="hide-sm">{s.ledger}</th>
                </tr>
              </thead>
              <tbody>
                {d.requests.map((r) => (
                  <tr key={r.id} data-testid={`history-${r.id}`}>
                    <td>
                      {r.dept}
                      <div className="panel-hint">{r.purpose}</div>
                    </td>
                    <td>
                      {(r.grant?.fields ?? r.fields).join(", ")}
                      {r.grant?.rowFilter ? <div className="panel-hint">{Object.values(r.grant.rowFilter).join(", ")}</div> : null}
                    </td>
                    <td>
                      <StatusBadge status={r.status} expires={r.grant?.expires} s={s} />
                      {r.grant ? <div className="panel-hint">{s.expires} {formatTime(r.grant.expires, locale)}</div> : null}
                    </td>
                    <td className="hide-sm">
                      {r.steps.map((st) => (
                        <div key={st.seq} className="panel-hint">
                          #{st.seq} {s.steps[st.action]} · {st.actor}@{st.dept} · {formatTime(st.time, locale)}
                          {st.note ? ` · ${st.note}` : ""}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {d.requests.length === 0 ? <div className="empty">—</div> : null}
          </section>

          {d.keys ? (
            <section className="panel table-wrap">
              <header className="panel-head">
                <h2>{s.keys}</h2>
              </header>
              <table data-testid="key-versions">
                <thead>
                  <tr>
                    <th>{s.keyVersion}</th>
                    <th>{s.keyReason}</th>
                    <th>{s.keyReaders}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.keys.versions.map((v) => (
                    <tr key={v.version}>
                      <td className="num">
                        v{v.version}
                        {v.version === d.keys!.current ? <span className="badge ok" style={{ marginLeft: 6 }}>current</span> : null}
                      </td>
                      <td>
                        {v.reason} <span className="panel-hint">#{v.created.seq}</span>
                      </td>
                      <td className="break">{v.readers.join(", ")}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}

          <section className="panel">
            <header className="panel-head">
              <h2>{s.ledger}</h2>
            </header>
            <ul className="list">
              {d.history.map((x) => (
                <li key={x.seq}>
                  <span className="mono">#{x.seq}</span>
                  <span className="grow">
                    {x.type} · {x.actor}@{x.dept}
                  </span>
                  <Link className="mono meta" href={`/explorer/tx/${x.hash}`}>
                    {shortHash(x.hash)}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        </div>
      ) : null}
    </QueryState>
  );
}

function StatusBadge({ status, expires, s }: { status: string; expires?: number; s: SharingStrings }) {
  const expired = status === "active" && expires !== undefined && expires <= Date.now();
  const st = expired ? "expired" : status;
  const cls = st === "active" ? "badge ok" : st === "pending" ? "badge warn" : st === "denied" || st === "revoked" ? "badge bad" : "badge";
  return <span className={cls}>{s.status[st] ?? st}</span>;
}
export { StatusBadge };

function DataReader({ id, s }: { id: string; s: SharingStrings }) {
  const { locale, t } = useI18n();
  const trpc = useTRPC();
  const [purpose, setPurpose] = useState("");
  // A read is a mutation: one press, one read (and one data.read when sensitive); nothing refetches it.
  const read = useMutation(trpc.sharing.read.mutationOptions());
  const asked = read.isIdle ? null : true;
  return (
    <section className="panel" data-testid="data-reader">
      <header className="panel-head">
        <h2>{s.data}</h2>
      </header>
      <div className="panel-body stack">
        <div className="row">
          <input className="input" style={{ flex: 1, minWidth: 220 }} placeholder={s.purposePlaceholder} aria-label={s.purpose} title={s.purpose} value={purpose} onChange={(e) => setPurpose(e.target.value)} data-testid="read-purpose" />
          <button type="button" className="btn" onClick={() => read.mutate({ id, purpose: purpose.trim() || undefined, limit: 200 })} disabled={read.isPending} data-testid="read-data">
            {s.readData}
          </button>
        </div>
        {asked && read.error ? (
          <div className="notice bad" role="alert" data-testid="read-error">
            {errorText(read.error, t)}
          </div>
        ) : null}
        {asked && read.isPending ? <div className="empty">{t.common.loading}</div> : null}
        {asked && read.data ? (
          <>
            <div className="row panel-hint">
              <span>
                {s.total} {read.data.total} {s.records}
              </span>
              <span className="badge">{s.basis[read.data.basis]}</span>
              {read.data.audit ? <span className="badge blue" data-testid="read-audited">{s.audited} #{read.data.audit.seq}</span> : null}
              {read.data.hidden.length ? <span title={read.data.hidden.map((h) => `${h.name}: ${h.reason}`).join("\n")}>{s.hidden}: {read.data.hidden.map((h) => h.name).join(", ")}</span> : null}
            </div>
            <div className="table-wrap">
              <table data-testid="data-table">
                <thead>
                  <tr>
                    {read.data.columns.map((c) => (
                      <th key={c.name}>{locale === "en" ? c.labelEn : c.label}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {read.data.rows.map((r, i) => (
                    <tr key={i}>
                      {read.data!.columns.map((c) => (
                        <td key={c.name} className={c.sealed ? "sealed-cell" : undefined}>
                          {cell(r[c.name], c.name, locale)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
      </div>
    </section>
  );
}

function cell(v: unknown, name: string, locale: "zh-CN" | "en"): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number" && (name === "at" || name === "ts" || name === "from" || name === "to") && v > 1e12) return formatTime(v, locale);
  if (typeof v === "object") return JSON.stringify(v).slice(0, 120);
  return String(v);
}

function RequestForm(props: { id: string; fields: { name: string; label: string; labelEn: string; sensitivity: number }[]; rowKey: string | null; districts: { id: string; name: string; nameEn: string }[]; s: SharingStrings }) {
  const { s } = props;
  const { locale, t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [fields, setFields] = useState<string[]>(props.fields.map((f) => f.name));
  const [purpose, setPurpose] = useState("");
  const [days, setDays] = useState(30);
  const [district, setDistrict] = useState("");
  const req = useMutation(
    trpc.sharing.request.mutationOptions({
      onSuccess: () => qc.invalidateQueries({ queryKey: trpc.sharing.dataset.queryKey({ id: props.id }) }),
    }),
  );
  return (
    <section className="panel" data-testid="request-form">
      <header className="panel-head">
        <h2>{s.request.title}</h2>
      </header>
      <form
        className="panel-body stack"
        onSubmit={(e) => {
          e.preventDefault();
          req.mutate({ dataset: props.id, fields, purpose, durationDays: days, rowFilter: props.rowKey && district ? { [props.rowKey]: district } : null });
        }}
      >
        <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="panel-hint">{s.request.fields}</legend>
          {props.fields.map((f) => (
            <label key={f.name} className="row" style={{ gap: 4 }}>
              <input type="checkbox" checked={fields.includes(f.name)} onChange={(e) => setFields((x) => (e.target.checked ? [...x, f.name] : x.filter((n) => n !== f.name)))} data-testid={`req-field-${f.name}`} />
              {locale === "en" ? f.labelEn : f.label}
            </label>
          ))}
        </fieldset>
        <div className="form-grid">
          <div className="field" style={{ gridColumn: "1 / -1" }}>
            <label htmlFor="req-purpose">{s.request.purpose}</label>
            <input id="req-purpose" className="input" value={purpose} onChange={(e) => setPurpose(e.target.value)} placeholder={s.purposePlaceholder} data-testid="req-purpose" />
          </div>
          <div className="field">
            <label htmlFor="req-days">{s.request.duration}</label>
            <input id="req-days" className="input" type="number" min={1} max={365} value={days} onChange={(e) => setDays(Number(e.target.value))} data-testid="req-days" />
          </div>
          {props.rowKey ? (
            <div className="field">
              <label htmlFor="req-district">{s.request.district}</label>
              <select id="req-district" className="input" value={district} onChange={(e) => setDistrict(e.target.value)} data-testid="req-district">
                <option value="">{s.request.anyDistrict}</option>
                {props.districts.map((d) => (
                  <option key={d.id} value={d.id}>
                    {locale === "en" ? d.nameEn : d.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <button type="submit" className="btn" disabled={req.isPending} data-testid="req-submit">
            {s.request.submit}
          </button>
        </div>
        {req.error ? <div className="notice bad" role="alert">{errorText(req.error, t)}</div> : null}
        {req.data ? <div className="notice ok" data-testid="req-done">{s.request.done} ({req.data.id})</div> : null}
      </form>
    </section>
  );
}

function GrantForm(props: { id: string; fields: { name: string; label: string; labelEn: string }[]; rowKey: string | null; districts: { id: string; name: string; nameEn: string }[]; departments: { id: string; name: string; nameEn: string }[]; s: SharingStrings }) {
  const { s } = props;
  const { locale, t } = useI18n();
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [dept, setDept] = useState("");
  const [fields, setFields] = useState<string[]>([]);
  const [purpose, setPurpose] = useState("");
  const [days, setDays] = useState(30);
  const [district, setDistrict] = useState("");
  const grant = useMutation(trpc.sharing.grant.mutationOptions({ onSuccess: () => qc.invalidateQueries({ queryKey: trpc.sharing.pathKey() }) }));
  return (
    <section className="panel" data-testid="grant-form">
      <header className="panel-head">
        <h2>{s.grantTitle}</h2>
        <span className="panel-hint">{s.grantHint}</span>
      </header>
      <form
        className="panel-body stack"
        onSubmit={(e) => {
          e.preventDefault();
          grant.mutate({ dataset: props.id, dept, fields, purpose, durationDays: days, rowFilter: props.rowKey && district ? { [props.rowKey]: district } : null });
        }}
      >
        <fieldset className="row" style={{ border: 0, padding: 0, margin: 0 }}>
          <legend className="panel-hint">{s.request.fields}</legend>
          {props.fields.map((f) => (
            <label key={f.name} className="row" style={{ gap: 4 }}>
              <input type="checkbox" checked={fields.includes(f.name)} onChange={(e) => setFields((x) => (e.target.checked ? [...x, f.name] : x.filter((n) => n !== f.name)))} />
              {locale === "en" ? f.labelEn : f.label}
            </label>
          ))}
        </fieldset>
        <div className="form-grid">
          <div className="field">
            <label htmlFor="grant-dept">{s.deptCol}</label>
            <select id="grant-dept" className="input" value={dept} onChange={(e) => setDept(e.target.value)}>
              <option value="">—</option>
              {props.departments.map((d) => (
                <option key={d.id} value={d.id}>
                  {locale === "en" ? d.nameEn : d.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field" style={{ gridColumn: "span 2" }}>
            <label htmlFor="grant-purpose">{s.request.purpose}</label>
            <input id="grant-purpose" className="input" value={purpose} onChange={(e) => setPurpose(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="grant-days">{s.request.duration}</label>
            <input id="grant-days" className="input" type="number" min={1} max={365} value={days} onChange={(e) => setDays(Number(e.target.value))} />
          </div>
          {props.rowKey ? (
            <div className="field">
              <label htmlFor="grant-district">{s.request.district}</label>
              <select id="grant-district" className="input" value={district} onChange={(e) => setDistrict(e.target.value)}>
                <option value="">{s.request.anyDistrict}</option>
                {props.districts.map((d) => (
                  <option key={d.id} value={d.id}>
                    {locale === "en" ? d.nameEn : d.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <button type="submit" className="btn" disabled={grant.isPending || !dept}>
            {s.grantSubmit}
          </button>
        </div>
        {grant.error ? <div className="notice bad" role="alert">{errorText(grant.error, t)}</div> : null}
        {grant.data ? <div className="notice ok">{s.grantDone} ({grant.data.id})</div> : null}
      </form>
    </section>
  );
}
