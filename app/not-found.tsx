import Link from "next/link";
import { getDictionary } from "@/lib/i18n/server";

export default async function NotFound() {
  const { t } = await getDictionary();
  return (
    <main className="page">
      <div className="panel status-page">
        <div className="status-code">404</div>
        <h1 style={{ marginTop: 12 }}>{t.notFound.title}</h1>
        <p style={{ color: "var(--ink-2)" }}>{t.notFound.body}</p>
        <Link className="btn" href="/">
          {t.forbidden.home}
        </Link>
      </div>
    </main>
  );
}
