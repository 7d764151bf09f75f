"use client";
/** The resource catalogue: every dataset with owner, sensitive fields, who holds access and how I stand. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { QueryState } from "@/components/ui/query-state";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { formatTime } from "@/lib/format";
import { AccessBadge } from "./access-badge";
import { StatusBadge } from "./dataset-detail";
import { SHARING_STRINGS } from "./strings";

export function CatalogueBrowser() {
  const { locale, t } = useI18n();
  const s = SHARING_STRINGS[locale];
  const en = locale === "en";
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const list = useQuery(trpc.sharing.catalogue.queryOptions({ q: q.trim() || undefined }));
  return (
    <div className="stack">
      <div className="row">
        <input className="input" style={{ maxWidth: 320 }} type="search" placeholder={s.search} aria-label={s.search} value={q} onChange={(e) => setQ(e.target.value)} data-testid="catalogue-search" />
      </div>
      <QueryState isLoading={list.isLoading} error={list.error}>
        <div className="panel table-wrap">
          <table data-testid="catalogue-table">
            <thead>
              <tr>
                <th>{s.dataset}</th>
                <th>{s.owner}</th>
                <th className="hide-sm">{s.fields}</th>
                <th className="hide-sm">{s.holders}</th>
                <th>{s.myAccess}</th>
              </tr>
            </thead>
            <tbody>
              {(list.data ?? []).map((d) => {
                const sealed = d.fields.filter((f) => f.sealed).length;
                return (
                  <tr key={d.id} data-testid={`dataset-${d.id}`}>
                    <td>
                      <Link href={`/catalogue/${encodeURIComponent(d.id)}`}>{en ? d.nameEn : d.name}</Link>
                      <div className="panel-hint">{(en ? d.descriptionEn : d.description).slice(0, 90)}</div>
                      <div className="row" style={{ marginTop: 4 }}>
                        {d.tags.map((tag) => (
                          <span key={tag} className="badge outline">{tag}</span>
                        ))}
                      </div>
                    </td>
                    <td>
                      {d.ownerName ? (en ? d.ownerName.nameEn : d.ownerName.name) : d.owner}
                      <div className="panel-hint mono">{d.owner}</div>
                    </td>
                    <td className="hide-sm num">
                      {d.fields.length}
                      {sealed ? <span className="badge warn" style={{ marginLeft: 6 }}>{s.sealedFields} {sealed}</span> : null}
                      <div className="panel-hint">{s.retention} {d.retentionDays} {s.days}</div>
                    </td>
                    <td className="hide-sm">
                      {d.holders.length ? (
                        <div title={d.holders.map((h) => (en ? h.nameEn : h.name)).join("\n")} data-testid="holders">
                          {d.holders.slice(0, 2).map((h) => (
                            <div key={h.id}>{en ? h.nameEn : h.name}</div>
                          ))}
                          {d.holders.length > 2 ? <span className="badge outline">+{d.holders.length - 2}</span> : null}
                        </div>
                      ) : (
                        <span className="panel-hint">—</span>
                      )}
                      {d.pending ? <span className="badge warn">{s.pending} {d.pending}</span> : null}
                    </td>
                    <td>
                      <AccessBadge access={d.access} s={s} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {list.data?.length === 0 ? <div className="empty">{t.common.none}</div> : null}
        </div>
      </QueryState>
      <MyRequests />
    </div>
  );
}

/** My department's requests and grants, newest first (statutory shares left out). */
function MyRequests() {
  const { locale } = useI18n();
  const s = SHARING_STRINGS[locale];
  const trpc = useTRPC();
  const mine = useQuery(trpc.sharing.requests.queryOptions({ box: "outgoing" }));
  const rows = (mine.data ?? []).filter((r) => !r.id.startsWith("req-std-"));
  if (!rows.length) return null;
  return (
    <section className="panel table-wrap" data-testid="my-requests">
      <header className="panel-head">
        <h2>{s.myRequests}</h2>
      </header>
      <table>
        <thead>
          <tr>
            <th>{s.dataset}</th>
            <th>{s.fields}</th>
            <th>{s.statusCol}</th>
            <th className="hide-sm">{s.request.purpose}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>
                <Link href={`/catalogue/${encodeURIComponent(r.dataset)}`}>{r.dataset}</Link>
                <div className="panel-hint mono">{r.id}</div>
              </td>
              <td>{(r.grant?.fields ?? r.fields).join(", ")}</td>
              <td>
                <StatusBadge status={r.status} expires={r.grant?.expires} s={s} />
                {r.grant ? <div className="panel-hint">{s.expires} {formatTime(r.grant.expires, locale)}</div> : null}
              </td>
              <td className="hide-sm">{r.purpose}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
