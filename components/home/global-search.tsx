"use client";
/** Search across users, departments, (for explorer users) transactions by hash prefix and (for dispatch users) incidents. */
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { DISPATCH_STRINGS } from "@/components/dispatch/strings";
import { Panel } from "@/components/ui/panel";
import { QueryState } from "@/components/ui/query-state";
import { shortHash } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";

export function GlobalSearch() {
  const trpc = useTRPC();
  const { t, locale } = useI18n();
  const [text, setText] = useState("");
  const [q, setQ] = useState("");
  useEffect(() => {
    const id = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(id);
  }, [text]);
  // POSTed (a mutation), so search terms never appear in a URL; the latest answer wins.
  const search = useMutation(trpc.portal.search.mutationOptions());
  const { mutate } = search;
  useEffect(() => {
    if (q) mutate({ q });
  }, [q, mutate]);
  const res = { isLoading: search.isPending, error: search.error, data: search.variables?.q === q ? search.data : undefined };
  const d = res.data;
  const total = d ? d.users.length + d.departments.length + d.transactions.length + d.incidents.length : 0;
  return (
    <Panel title={t.home.search} testId="global-search">
      <input
        className="input"
        type="search"
        placeholder={t.home.searchPlaceholder}
        aria-label={t.home.search}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {q ? (
        <div className="search-results">
          <QueryState isLoading={res.isLoading} error={res.error}>
            {d && total === 0 ? <div className="panel-hint">{t.home.searchNone}</div> : null}
            {d && d.incidents.length > 0 ? (
              <div className="search-group">
                <h3>{t.home.incidents}</h3>
                <ul className="list">
                  {d.incidents.map((i) => (
                    <li key={i.id} style={{ padding: "6px 0" }}>
                      <Link className="grow ellipsis" href={`/dispatch?incident=${encodeURIComponent(i.id)}`}>
                        {i.address} <span className="mono panel-hint">{i.id}</span>
                      </Link>
                      <span className="badge">{DISPATCH_STRINGS[locale].types[i.type] ?? i.type}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {d && d.users.length > 0 ? (
              <div className="search-group">
                <h3>{t.home.users}</h3>
                <ul className="list">
                  {d.users.map((u) => (
                    <li key={u.id} style={{ padding: "6px 0" }}>
                      <div className="grow ellipsis">
                        {u.name} <span className="mono panel-hint">{u.id}</span>
                      </div>
                      <span className="badge">{t.roles[u.role]}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {d && d.departments.length > 0 ? (
              <div className="search-group">
                <h3>{t.home.departments}</h3>
                <ul className="list">
                  {d.departments.map((dep) => (
                    <li key={dep.id} style={{ padding: "6px 0" }}>
                      <div className="grow ellipsis">{locale === "en" ? dep.nameEn : dep.name}</div>
                      <span className="badge">{t.kinds[dep.kind]}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {d && d.transactions.length > 0 ? (
              <div className="search-group">
                <h3>{t.home.transactions}</h3>
                <ul className="list">
                  {d.transactions.map((tx) => (
                    <li key={tx.hash} style={{ padding: "6px 0" }}>
                      <Link className="mono grow ellipsis" href={`/explorer/tx/${tx.hash}`}>
                        {shortHash(tx.hash)}
                      </Link>
                      <span className="badge blue">{t.txTypes[tx.type] ?? tx.type}</span>
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
          </QueryState>
        </div>
      ) : null}
    </Panel>
  );
}
