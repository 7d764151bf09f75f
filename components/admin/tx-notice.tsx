"use client";
/** Result of an admin change: the committed transaction's hash (linking to the explorer), or the error. */
import Link from "next/link";
import { errorText } from "@/components/ui/query-state";
import { useI18n } from "@/lib/i18n/client";

export interface TxOutcome {
  hash: string;
  height: number;
  label: string;
}

export function TxNotice({ outcome, error, canExplore }: { outcome: TxOutcome | null; error: unknown; canExplore: boolean }) {
  const { t } = useI18n();
  if (error) {
    return (
      <div className="notice bad" role="alert" data-testid="tx-error">
        {errorText(error, t)}
      </div>
    );
  }
  if (!outcome) return null;
  return (
    <div className="notice ok" role="status" data-testid="tx-notice">
      <strong>{t.admin.saved}</strong> · {outcome.label} · {t.explorer.block} #{outcome.height}
      <div className="row" style={{ marginTop: 4 }}>
        <span>{t.common.txHash}:</span>
        {canExplore ? (
          <Link className="mono break" href={`/explorer/tx/${outcome.hash}`} data-testid="tx-hash">
            {outcome.hash}
          </Link>
        ) : (
          <span className="mono break" data-testid="tx-hash">
            {outcome.hash}
          </span>
        )}
      </div>
    </div>
  );
}
