"use client";
/**
 * Reveals the sensitive fields of a record or transaction the policy lets the reader see. A reveal is
 * a mutation with a stated purpose that the server writes to the ledger as a `data.read`.
 */
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { HashText } from "@/components/ui/hash-text";
import { errorText } from "@/components/ui/query-state";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";

type Target = { kind: "record"; ns: string; key: string } | { kind: "tx"; hash: string };
export interface Revealed {
  value: unknown;
  purpose: unknown;
  audit: { seq: number; hash: string }[];
}

export function RevealPanel({ target, onRevealed }: { target: Target; onRevealed: (r: Revealed) => void }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const [purpose, setPurpose] = useState("");
  const [audit, setAudit] = useState<Revealed["audit"] | null>(null);
  const reveal = useMutation(
    trpc.explorer.reveal.mutationOptions({
      onSuccess: (r) => {
        setAudit(r.audit);
        onRevealed(r);
      },
    }),
  );
  if (audit) {
    return (
      <div className="notice ok" data-testid="revealed">
        {t.explorer.revealed}{" "}
        {audit.map((a) => (
          <a key={a.hash} href={`/explorer/tx/${a.hash}`}>
            #{a.seq} <HashText hash={a.hash} />
          </a>
        ))}
      </div>
    );
  }
  return (
    <form
      className="stack"
      style={{ gap: 8 }}
      onSubmit={(e) => {
        e.preventDefault();
        reveal.mutate({ ...target, purpose });
      }}
      data-testid="reveal-form"
    >
      <div className="panel-hint">{t.explorer.revealHint}</div>
      <div className="row">
        <input className="input" aria-label={t.explorer.revealPurpose} placeholder={t.explorer.revealPurpose} value={purpose} onChange={(e) => setPurpose(e.target.value)} maxLength={200} data-testid="reveal-purpose" />
        <button type="submit" className="btn" disabled={reveal.isPending || purpose.trim().length < 2} data-testid="reveal">
          {t.explorer.reveal}
        </button>
      </div>
      {reveal.error ? (
        <div className="notice bad" role="alert">
          {errorText(reveal.error, t)}
        </div>
      ) : null}
    </form>
  );
}
