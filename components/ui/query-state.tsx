"use client";
/** Loading and error states of a query, with the server's message (never a stack or raw JSON). */
import type { ReactNode } from "react";
import { useI18n } from "@/lib/i18n/client";

export function errorText(err: unknown, t: ReturnType<typeof useI18n>["t"]): string {
  const e = err as { message?: string; data?: { code?: string } } | null;
  const code = e?.data?.code;
  const label = code ? t.errors[code] : undefined;
  return e?.message || label || t.common.error;
}

export function QueryState(props: { isLoading: boolean; error: unknown; onRetry?: () => void; children?: ReactNode }) {
  const { t } = useI18n();
  if (props.isLoading) return <div className="empty">{t.common.loading}</div>;
  if (props.error)
    return (
      <div className="notice bad" role="alert">
        {errorText(props.error, t)}
        {props.onRetry ? (
          <>
            {" "}
            <button type="button" className="btn btn-ghost btn-sm" onClick={props.onRetry}>
              {t.common.retry}
            </button>
          </>
        ) : null}
      </div>
    );
  return <>{props.children}</>;
}
