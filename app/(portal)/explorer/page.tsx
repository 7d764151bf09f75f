import type { Metadata } from "next";
import { ExplorerHead } from "@/components/explorer/explorer-head";
import { ExplorerHome } from "@/components/explorer/explorer-home";
import { EXPLORER } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "账本浏览器 Explorer" };

export default async function ExplorerPage() {
  await requireAccess(EXPLORER, "/explorer");
  const { t } = await getDictionary();
  return (
    <>
      <ExplorerHead t={t} />
      <ExplorerHome />
    </>
  );
}
