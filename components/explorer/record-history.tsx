"use client";
/** A state record's current value and every transaction that wrote it, oldest first. */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Panel } from "@/components/ui/panel";
import { QueryState } from "@/components/ui/query-state";
import { ValueView } from "@/components/ui/value-view";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { RevealPanel } from "./reveal-panel";
import { TxList } from "./tx-list";

export function RecordHistory({ ns, recordKey }: { ns: string; recordKey: string }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const q = useQuery(trpc.explorer.history.queryOptions({ ns, key: recordKey }));
  // Revealed values replace the withheld ones until the page is left; polling never reveals.
  const [revealed, setRevealed] = useState<unknown>(null);
  const current = revealed ?? q.data?.current;
  return (
    <QueryState isLoading={q.isLoading} error={q.error}>
      {q.data ? (
        <div className="stack">
          <Panel title={`${t.explorer.current} · ${ns} / ${recordKey}`} testId="record-current">
            {current ? <ValueView value={current} labels={t.fields} withheldLabel={t.explorer.withheld} /> : <div className="empty">{t.explorer.notFound}</div>}
            {q.data.revealable ? (
              <div style={{ marginTop: 12 }}>
                <RevealPanel target={{ kind: "record", ns, key: recordKey }} onRevealed={(r) => setRevealed(r.value)} />
              </div>
            ) : null}
          </Panel>
          <Panel title={t.explorer.history} hint={`${q.data.txs.length} ${t.explorer.txCount}`} flush testId="record-history">
            <TxList txs={q.data.txs} />
          </Panel>
        </div>
      ) : null}
    </QueryState>
  );
}
