"use client";
/**
 * The registries page: one tab per registry this official may see; a searchable list with the
 * actions they may take, a registration form, and CSV import (preview per row, then all or
 * nothing) and export. Columns and actions come from lib/registries, shared with the server.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { HashText } from "@/components/ui/hash-text";
import { errorText, QueryState } from "@/components/ui/query-state";
import { toCsv } from "@/lib/csv";
import { useI18n } from "@/lib/i18n/client";
import { MASKED, REGISTRIES, type Column, type RegistryAction, type RegistryKind } from "@/lib/registries";
import { useTRPC } from "@/lib/trpc/react";
import { REGISTRY_STRINGS } from "./strings";

type Panel = "none" | "register" | "import";

function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function RegistryConsole() {
  const { locale } = useI18n();
  const s = REGISTRY_STRINGS[locale];
  const trpc = useTRPC();
  const mine = useQuery(trpc.registry.mine.queryOptions());
  const [picked, setPicked] = useState<RegistryKind | null>(null);
  const kinds = mine.data ?? [];
  const current = kinds.find((k) => k.kind === picked) ?? kinds[0];
  return (
    <QueryState isLoading={mine.isLoading} error={mine.error}>
      {kinds.length === 0 ? (
        <div className="empty">{s.none}</div>
      ) : (
        <>
          <div className="tabs" role="tablist">
            {kinds.map((k) => (
              <button key={k.kind} type="button" role="tab" className="tab" aria-selected={current?.kind === k.kind} onClick={() => setPicked(k.kind)} data-testid={`registry-tab-${k.kind}`}>
                {locale === "en" ? REGISTRIES[k.kind].en : REGISTRIES[k.kind].zh}
              </button>
            ))}
          </div>
          {current ? <RegistryView key={current.kind} kind={current.kind} write={current.write} /> : null}
        </>
      )}
    </QueryState>
  );
}

const label = (c: Column, locale: string) => (locale === "en" ? c.en : c.zh);

function RegistryView({ kind, write }: { kind: RegistryKind; write: boolean }) {
  const { locale, t } = useI18n();
  const s = REGISTRY_STRINGS[locale];
  const def = REGISTRIES[kind];
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const [panel, setPanel] = useState<Panel>("none");
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({ ...trpc.registry.list.queryOptions({ kind, q: q.trim() || undefined }), refetchInterval: 15_000 });
  const exporter = useMutation(
    trpc.registry.export.mutationOptions({
      onSuccess: (r) => {
        download(r.fileName, r.csv);
        setNotice(s.exported(r.rows));
      },
    }),
  );
  const columns = [...def.columns.filter((c) => !c.sealed), ...def.listColumns];
  return (
    <div className="stack" data-testid={`registry-${kind}`}>
      <div className="row" style={{ flexWrap: "wrap", gap: 8 }}>
        <input className="input" style={{ maxWidth: 240 }} type="search" placeholder={s.search} aria-label={s.search} value={q} onChange={(e) => setQ(e.target.value)} data-testid="registry-search" />
        <div className="spacer" />
        {write ? (
          <>
            <button type="button" className="btn" onClick={() => setPanel(panel === "register" ? "none" : "register")} data-testid="registry-register">
              {s.register}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setPanel(panel === "import" ? "none" : "import")} data-testid="registry-import">
              {s.import}
            </button>
          </>
        ) : null}
        <button type="button" className="btn btn-ghost" onClick={() => exporter.mutate({ kind })} disabled={exporter.isPending} data-testid="registry-export">
          {s.export}
        </button>
      </div>
      {exporter.error ? <div className="notice bad">{errorText(exporter.error, t)}</div> : null}
      {notice ? <div className="notice ok">{notice}</div> : null}
      {panel === "register" ? <RegisterForm kind={kind} onDone={() => setPanel("none")} /> : null}
      {panel === "import" ? <ImportPanel kind={kind} /> : null}
      <QueryState isLoading={list.isLoading} error={list.error}>
        <div className="panel table-wrap">
          <table data-testid="registry-table">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.id}>{label(c, locale)}</th>
                ))}
                {write && def.actions.length ? <th>{s.actions}</th> : null}
              </tr>
            </thead>
            <tbody>
              {(list.data ?? []).map((r) => {
                const id = String(r[def.key] ?? "");
                return (
                  <tr key={id} data-testid={`registry-row-${id}`}>
                    {columns.map((c) => (
                      <td key={c.id} className={c.id === "ingest_key" ? "mono ellipsis" : undefined} style={c.id === "ingest_key" ? { maxWidth: 140 } : undefined} title={c.id === "ingest_key" ? String(r[c.id] ?? "") : undefined}>
                        {r[c.id] === MASKED ? (
                          <a href={`/explorer/record?ns=${def.ledger.ns}&key=${encodeURIComponent(def.ledger.prefix + id)}`} title={s.masked} data-testid="masked-cell">
                            {MASKED}
                          </a>
                        ) : c.id.endsWith("status") ? <span className={r[c.id] === "valid" || r[c.id] === "active" || r[c.id] === "approved" || r[c.id] === "available" ? "badge ok" : "badge bad"}>{String(r[c.id] ?? "")}</span> : String(r[c.id] ?? "")}
                      </td>
                    ))}
                    {write && def.actions.length ? (
                      <td>
                        <RecordActions kind={kind} id={id} actions={def.actions} />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {list.data?.length === 0 ? <div className="empty">{s.empty}</div> : null}
        </div>
      </QueryState>
    </div>
  );
}

function FieldInput({ col, value, onChange, testid }: { col: Column; value: string; onChange: (v: string) => void; testid: string }) {
  const { locale } = useI18n();
  const s = REGISTRY_STRINGS[locale];
  const id = `${testid}`;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label(col, locale)}
        {col.required ? " *" : ""}
        {col.sealed ? <span className="panel-hint"> · {s.sealed}</span> : null}
      </label>
      {col.options ? (
        <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testid}>
          {!col.required ? <option value="">—</option> : <option value="" disabled>—</option>}
          {col.options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input id={id} className="input" value={value} placeholder={col.hint} onChange={(e) => onChange(e.target.value)} data-testid={testid} autoComplete="off" />
      )}
    </div>
  );
}

function RegisterForm({ kind, onDone }: { kind: RegistryKind; onDone: () => void }) {
  const { locale, t } = useI18n();
  const s = REGISTRY_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const def = REGISTRIES[kind];
  const [row, setRow] = useState<Record<string, string>>({});
  const create = useMutation(
    trpc.registry.create.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.registry.list.queryKey() });
        setRow({});
      },
    }),
  );
  return (
    <form
      className="panel panel-body stack"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ kind, row: Object.fromEntries(Object.entries(row).filter(([, v]) => v.trim() !== "")) });
      }}
      data-testid="registry-form"
    >
      <div className="form-grid">
        {def.columns.map((c) => (
          <FieldInput key={c.id} col={c} value={row[c.id] ?? ""} onChange={(v) => setRow({ ...row, [c.id]: v })} testid={`field-${c.id}`} />
        ))}
      </div>
      <div className="row" style={{ gap: 8 }}>
        <button type="submit" className="btn" disabled={create.isPending} data-testid="registry-submit">
          {s.submit}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          {s.cancel}
        </button>
      </div>
      {create.error ? <div className="notice bad" data-testid="registry-error">{errorText(create.error, t)}</div> : null}
      {create.data ? (
        <div className="notice ok" data-testid="registry-done">
          {s.registered} <HashText hash={create.data.hash} href={`/explorer/tx/${create.data.hash}`} />
        </div>
      ) : null}
    </form>
  );
}

function RecordActions({ kind, id, actions }: { kind: RegistryKind; id: string; actions: readonly RegistryAction[] }) {
  const { locale, t } = useI18n();
  const s = REGISTRY_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const [open, setOpen] = useState<RegistryAction | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [reason, setReason] = useState("");
  const act = useMutation(
    trpc.registry.act.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.registry.list.queryKey() });
        setOpen(null);
      },
    }),
  );
  if (!open) {
    return (
      <div className="row" style={{ gap: 4, flexWrap: "wrap" }}>
        {actions.map((a) => (
          <button key={a.id} type="button" className="btn btn-ghost btn-sm" onClick={() => (setOpen(a), setFields({}), setReason(""), act.reset())} data-testid={`action-${a.id}-${id}`}>
            {locale === "en" ? a.en : a.zh}
          </button>
        ))}
      </div>
    );
  }
  return (
    <form
      className="stack"
      style={{ minWidth: 220 }}
      onSubmit={(e) => {
        e.preventDefault();
        act.mutate({ kind, id, action: open.id, fields: Object.fromEntries(Object.entries(fields).filter(([, v]) => v.trim() !== "")), reason });
      }}
      data-testid="action-form"
    >
      {open.fields.map((c) => (
        <FieldInput key={c.id} col={c} value={fields[c.id] ?? ""} onChange={(v) => setFields({ ...fields, [c.id]: v })} testid={`action-field-${c.id}`} />
      ))}
      {open.reason ? (
        <div className="field">
          <label htmlFor={`reason-${id}`}>{s.reason} *</label>
          <input id={`reason-${id}`} className="input" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="action-reason" />
        </div>
      ) : null}
      <div className="row" style={{ gap: 4 }}>
        <button type="submit" className="btn btn-sm" disabled={act.isPending} data-testid="action-apply">
          {s.apply} {locale === "en" ? open.en : open.zh}
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => setOpen(null)}>
          {s.cancel}
        </button>
      </div>
      {act.error ? <div className="field-error">{errorText(act.error, t)}</div> : null}
    </form>
  );
}

function ImportPanel({ kind }: { kind: RegistryKind }) {
  const { locale, t } = useI18n();
  const s = REGISTRY_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const def = REGISTRIES[kind];
  const [csv, setCsv] = useState("");
  const [fileName, setFileName] = useState("pasted.csv");
  const preview = useMutation(trpc.registry.preview.mutationOptions());
  const commit = useMutation(
    trpc.registry.import.mutationOptions({
      onSuccess: () => {
        void qc.invalidateQueries({ queryKey: trpc.registry.list.queryKey() });
        preview.reset();
      },
    }),
  );
  const p = preview.data;
  const ready = !!p && p.fileErrors.length === 0 && p.invalid === 0 && p.rows.length > 0;
  const shown = def.columns.filter((c) => c.id !== def.key).slice(0, 4);
  return (
    <div className="panel panel-body stack" data-testid="import-panel">
      <div className="row" style={{ gap: 8, flexWrap: "wrap" }}>
        <label className="btn btn-ghost">
          {s.chooseFile}
          <input
            type="file"
            accept=".csv,text/csv"
            style={{ display: "none" }}
            data-testid="import-file"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (!f) return;
              setFileName(f.name);
              setCsv(await f.text());
              preview.reset();
              commit.reset();
            }}
          />
        </label>
        <button type="button" className="btn btn-ghost" onClick={() => download(`${kind}-template.csv`, toCsv(def.columns.map((c) => c.id), [Object.fromEntries(def.columns.map((c) => [c.id, c.hint ?? c.options?.[0] ?? ""]))]))}>
          {s.template}
        </button>
        <span className="panel-hint">{s.allOrNothing}</span>
      </div>
      <textarea className="input mono" rows={5} placeholder={s.orPaste} value={csv} onChange={(e) => (setCsv(e.target.value), preview.reset(), commit.reset())} data-testid="import-text" />
      <div className="row" style={{ gap: 8 }}>
        <button type="button" className="btn" disabled={!csv.trim() || preview.isPending} onClick={() => (commit.reset(), preview.mutate({ kind, csv }))} data-testid="import-preview">
          {preview.isPending ? s.previewing : s.preview}
        </button>
        <button type="button" className="btn" disabled={!ready || commit.isPending} onClick={() => commit.mutate({ kind, csv, fileName })} data-testid="import-commit">
          {commit.isPending ? s.importing : s.commit(p?.rows.length ?? 0)}
        </button>
      </div>
      {preview.error ? <div className="notice bad">{errorText(preview.error, t)}</div> : null}
      {commit.error ? <div className="notice bad" data-testid="import-error">{errorText(commit.error, t)}</div> : null}
      {commit.data ? (
        <div className="notice ok" data-testid="import-done">
          {s.imported(commit.data.rows)} <HashText hash={commit.data.hash} href={`/explorer/tx/${commit.data.hash}`} />
        </div>
      ) : null}
      {p ? (
        <div className="stack" data-testid="import-result">
          {p.fileErrors.map((e) => (
            <div key={e} className="notice bad">
              {e}
            </div>
          ))}
          {p.rows.length ? <div className={p.invalid ? "notice bad" : "notice ok"}>{s.rowsOk(p.valid, p.invalid)}</div> : null}
          {p.rows.length ? (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{s.row}</th>
                    <th>{label(def.columns.find((c) => c.id === def.key)!, locale)}</th>
                    {shown.map((c) => (
                      <th key={c.id} className="hide-sm">
                        {label(c, locale)}
                      </th>
                    ))}
                    <th>{s.result}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.rows.map((r) => (
                    <tr key={r.row} data-testid={`import-row-${r.row}`}>
                      <td className="num">{r.row}</td>
                      <td>{r.key}</td>
                      {shown.map((c) => (
                        <td key={c.id} className="hide-sm">
                          {r.cells[c.id]}
                        </td>
                      ))}
                      <td>{r.ok ? <span className="badge ok">{s.ok}</span> : <span className="text-bad">{r.errors.join("; ")}</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
