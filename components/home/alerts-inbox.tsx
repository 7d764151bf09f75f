"use client";
/** The inbox: latest ledger events for the user's part of the department tree. */
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Panel } from "@/components/ui/panel";
import { QueryState } from "@/components/ui/query-state";
import { formatTime } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";

export function AlertsInbox({ canExplore }: { canExplore: boolean }) {
  const trpc = useTRPC();
  const { t, locale } = useI18n();
  const q = useQuery({ ...trpc.portal.alerts.queryOptions({ limit: 8 }), refetchInterval: 10_000 });
  return (
    <Panel title={t.home.alerts} hint={t.home.alertsHint} flush testId="alerts">
      <QueryState isLoading={q.isLoading} error={q.error}>
        {q.data && q.data.length === 0 ? <div className="empty">{t.home.noAlerts}</div> : null}
        <ul className="list">
          {q.data?.map((e) => (
            <li key={e.seq}>
              <span className="badge blue">{t.txTypes[e.type] ?? e.type}</span>
              <div className="grow">
                <div className="ellipsis" title={e.subject}>
                  {canExplore ? <Link href={`/explorer/tx/${e.hash}`}>{e.subject || e.hash.slice(0, 12)}</Link> : e.subject || e.hash.slice(0, 12)}
                </div>
                <div className="meta ellipsis">
                  {formatTime(e.ts, locale)} · {e.actorName ?? (e.actor === "system" ? t.home.system : e.actor)} · {(locale === "en" ? e.deptNameEn : e.deptName) ?? e.dept}
                </div>
              </div>
            </li>
          ))}
        </ul>
      </QueryState>
    </Panel>
  );
}
