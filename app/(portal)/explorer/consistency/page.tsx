import type { Metadata } from "next";
import { ConsistencyPanel } from "@/components/explorer/consistency-panel";
import { ExplorerHead } from "@/components/explorer/explorer-head";
import { EXPLORER } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "历史一致性 History consistency" };

export default async function ConsistencyPage() {
  await requireAccess(EXPLORER, "/explorer/consistency");
  const { t } = await getDictionary();
  return (
    <>
      <ExplorerHead t={t} title={t.explorer.consistency.title} sub={t.explorer.consistency.sub} />
      <ConsistencyPanel />
    </>
  );
}
