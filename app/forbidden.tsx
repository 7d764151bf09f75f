/** The 403 page (HTTP 403), rendered when a page calls forbidden(). */
import Link from "next/link";
import { getDictionary } from "@/lib/i18n/server";

export default async function Forbidden() {
  const { t } = await getDictionary();
  return (
    <main className="page">
      <div className="panel status-page" data-testid="forbidden">
        <div className="status-code">403</div>
        <h1 style={{ marginTop: 12 }}>{t.forbidden.title}</h1>
        <p style={{ color: "var(--ink-2)" }}>{t.forbidden.body}</p>
        <Link className="btn" href="/">
          {t.forbidden.home}
        </Link>
      </div>
    </main>
  );
}
