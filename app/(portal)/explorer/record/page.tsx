import { ExplorerHead } from "@/components/explorer/explorer-head";
import { RecordHistory } from "@/components/explorer/record-history";
import { EXPLORER } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export default async function RecordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const ns = typeof sp.ns === "string" ? sp.ns : "user";
  const key = typeof sp.key === "string" ? sp.key : "";
  await requireAccess(EXPLORER, `/explorer/record?ns=${encodeURIComponent(ns)}&key=${encodeURIComponent(key)}`);
  const { t } = await getDictionary();
  return (
    <>
      <ExplorerHead t={t} title={`${t.explorer.historyOf} ${ns} / ${key}`} sub={t.explorer.history} />
      {key ? <RecordHistory ns={ns} recordKey={key} /> : <div className="empty">{t.explorer.notFound}</div>}
    </>
  );
}
