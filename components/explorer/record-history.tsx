"use client";
/** A state record's current value and every transaction that wrote it, oldest first. */
import { useQuery } from "@tanstack/react-query";
import { Panel } from "@/components/ui/panel";
import { QueryState } from "@/components/ui/query-state";
import { ValueView } from "@/components/ui/value-view";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { TxList } from "./tx-list";

export function RecordHistory({ ns, recordKey }: { ns: string; recordKey: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.explorer.history.queryOptions({ ns, key: recordKey }));
  return (
    <QueryState isLoading={q.isLoading} error={q.error}>
      {q.data ? (
        <div className="stack">
          <Panel title={`${t.explorer.current} · ${ns} / ${recordKey}`} testId="record-current">
            {q.data.current ? <ValueView value={q.data.current} labels={t.fields} /> : <div className="empty">{t.explorer.notFound}</div>}
          </Panel>
          <Panel title={t.explorer.history} hint={`${q.data.txs.length} ${t.explorer.txCount}`} flush testId="record-history">
            <TxList txs={q.data.txs} />
          </Panel>
        </div>
      ) : null}
    </QueryState>
  );
}
