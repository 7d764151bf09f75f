import { notFound } from "next/navigation";
import { ExplorerHead } from "@/components/explorer/explorer-head";
import { TxDetail } from "@/components/explorer/tx-detail";
import { EXPLORER } from "@/lib/access";
import { shortHash } from "@/lib/format";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export default async function TxPage({ params }: { params: Promise<{ hash: string }> }) {
  const { hash } = await params;
  await requireAccess(EXPLORER, `/explorer/tx/${hash}`);
  const h = hash.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(h)) notFound();
  const { t } = await getDictionary();
  return (
    <>
      <ExplorerHead t={t} title={`${t.explorer.tx} ${shortHash(h)}`} />
      <TxDetail hash={h} />
    </>
  );
}
