import { notFound } from "next/navigation";
import { BlockDetail } from "@/components/explorer/block-detail";
import { ExplorerHead } from "@/components/explorer/explorer-head";
import { EXPLORER } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export default async function BlockPage({ params }: { params: Promise<{ height: string }> }) {
  const { height } = await params;
  await requireAccess(EXPLORER, `/explorer/block/${height}`);
  if (!/^\d{1,12}$/.test(height)) notFound();
  const { t } = await getDictionary();
  return (
    <>
      <ExplorerHead t={t} title={`${t.explorer.block} #${height}`} sub={t.explorer.subtitle} />
      <BlockDetail height={Number(height)} />
    </>
  );
}
