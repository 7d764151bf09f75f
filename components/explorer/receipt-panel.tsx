"use client";
/**
 * Receipt download and in-browser verification: the receipt is checked here, with @noble, against
 * the node keys and quorum this portal runs with (explorer.nodePin), never the receipt's own; every
 * check is listed.
 */
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { verifyReceipt, type ReceiptCheck } from "@/chain/receipt";
import { nobleSuite } from "@/chain/signature";
import { Panel } from "@/components/ui/panel";
import { CheckListView } from "./check-list-view";
import { errorText } from "@/components/ui/query-state";
import { useI18n } from "@/lib/i18n/client";
import { useTRPC } from "@/lib/trpc/react";

export function ReceiptPanel({ hash, restricted, reason = null }: { hash: string; restricted: boolean; /** The policy's refusal, when it is not the credential rule. */ reason?: string | null }) {
  const { t } = useI18n();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<"download" | "verify" | null>(null);
  const [result, setResult] = useState<ReceiptCheck | null>(null);
  const [error, setError] = useState<unknown>(null);
  const receiptRead = useMutation(trpc.explorer.receipt.mutationOptions());
  const fetchReceipt = () => receiptRead.mutateAsync({ hash });

  async function download() {
    setBusy("download");
    setError(null);
    try {
      const receipt = await fetchReceipt();
      const blob = new Blob([JSON.stringify(receipt, null, 2)], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `cityledger-receipt-${hash.slice(0, 16)}.json`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function verify() {
    setBusy("verify");
    setError(null);
    setResult(null);
    try {
      const [receipt, pin] = await Promise.all([fetchReceipt(), queryClient.fetchQuery(trpc.explorer.nodePin.queryOptions())]);
      setResult(verifyReceipt(nobleSuite, receipt, pin));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  return (
    <Panel title={t.explorer.receipt} hint={t.explorer.pinned} testId="receipt-panel">
      {restricted ? (
        <div className="notice info" data-testid="receipt-restricted">
          {reason ?? t.explorer.restricted}
        </div>
      ) : (
        <div className="stack" style={{ gap: 12 }}>
          <div className="row">
            <button type="button" className="btn btn-ghost" onClick={download} disabled={busy !== null} data-testid="download-receipt">
              {t.explorer.download}
            </button>
            <button type="button" className="btn" onClick={verify} disabled={busy !== null} data-testid="verify-receipt">
              {busy === "verify" ? t.explorer.verifying : t.explorer.verify}
            </button>
          </div>
          {error ? (
            <div className="notice bad" role="alert">
              {errorText(error, t)}
            </div>
          ) : null}
          {result ? (
            <div className={result.ok ? "notice ok" : "notice bad"} data-testid="verify-result" data-ok={result.ok}>
              <strong>{result.ok ? `✓ ${t.explorer.verified}` : `✗ ${t.explorer.verifyFailed}`}</strong>
              <CheckListView checks={result.checks} labels={t.explorer.checks} itemTestId="verify-check" />
            </div>
          ) : null}
        </div>
      )}
    </Panel>
  );
}
