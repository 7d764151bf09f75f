"use client";
/** Last-resort error page: a clear message and a retry, never a stack trace. */
import { useI18n } from "@/lib/i18n/client";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const { t } = useI18n();
  return (
    <main className="page">
      <div className="panel status-page" role="alert">
        <div className="status-code">!</div>
        <h1 style={{ marginTop: 12 }}>{t.common.error}</h1>
        <button type="button" className="btn" onClick={reset} style={{ marginTop: 12 }}>
          {t.common.retry}
        </button>
      </div>
    </main>
  );
}
