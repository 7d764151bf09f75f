"use client";
/** The SLA targets per incident type (the emergency bureau's smart-law rule dispatch.sla), editable by its supervisors. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorText, QueryState } from "@/components/ui/query-state";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";
import { DISPATCH_STRINGS, formatDuration } from "./strings";

type Targets = Record<string, { dispatchS: number; enRouteS: number; onSceneS: number }>;
const KEYS = ["dispatchS", "enRouteS", "onSceneS"] as const;
const TIMER_OF = { dispatchS: "dispatch", enRouteS: "enRoute", onSceneS: "onScene" } as const;

export function SlaEditor({ canSet }: { canSet: boolean }) {
  const { locale, t } = useI18n();
  const s = DISPATCH_STRINGS[locale];
  const trpc = useTRPC();
  const qc = useQueryClient();
  const sla = useQuery(trpc.dispatch.sla.queryOptions());
  const [draft, setDraft] = useState<Targets | null>(null);
  const save = useMutation(
    trpc.dispatch.setSla.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        void qc.invalidateQueries({ queryKey: trpc.dispatch.sla.queryKey() });
      },
    }),
  );
  const shown: Targets | undefined = draft ?? sla.data?.targets;

  return (
    <QueryState isLoading={sla.isLoading} error={sla.error}>
      {shown ? (
        <form
          className="stack"
          style={{ gap: 8 }}
          data-testid="sla-editor"
          onSubmit={(e) => {
            e.preventDefault();
            if (draft) save.mutate({ targets: draft as never });
          }}
        >
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>{s.type}</th>
                  {KEYS.map((k) => (
                    <th key={k}>{s.timerNames[TIMER_OF[k]]}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {Object.entries(shown).map(([type, v]) => (
                  <tr key={type} data-testid={`sla-${type}`}>
                    <td>{s.types[type] ?? type}</td>
                    {KEYS.map((k) => (
                      <td key={k}>
                        {canSet ? (
                          <input
                            className="input"
                            type="number"
                            min={10}
                            max={14400}
                            style={{ width: 84 }}
                            value={v[k]}
                            aria-label={`${type} ${k}`}
                            data-testid={`sla-${type}-${k}`}
                            onChange={(e) => setDraft({ ...shown, [type]: { ...v, [k]: Number(e.target.value) } })}
                          />
                        ) : (
                          formatDuration(v[k])
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="row panel-hint">
            {sla.data?.setBy ? `v${sla.data.version} · ${sla.data.setBy.actor} · #${sla.data.setBy.seq}` : ""}
            <span className="spacer" />
            {canSet ? (
              <button className="btn btn-sm" type="submit" disabled={!draft || save.isPending} data-testid="sla-save">
                {s.submit}
              </button>
            ) : null}
          </div>
          {save.error ? <div className="notice bad">{errorText(save.error, t)}</div> : null}
        </form>
      ) : null}
    </QueryState>
  );
}
