import type { Metadata } from "next";
import Link from "next/link";
import { DatasetDetail } from "@/components/sharing/dataset-detail";
import { SHARING_STRINGS } from "@/components/sharing/strings";
import { ADMIN, allows, SHARING_REQUEST } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "数据集 Dataset" };

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  const id = decodeURIComponent(raw);
  const user = await requireUser(`/catalogue/${raw}`);
  const { locale } = await getDictionary();
  const s = SHARING_STRINGS[locale];
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/catalogue">{s.title}</Link> / <span className="mono">{id}</span>
          </div>
          <h1 className="mono">{id}</h1>
        </div>
      </div>
      <DatasetDetail id={id} canRequest={allows(SHARING_REQUEST, user)} canGrant={allows(ADMIN, user)} />
    </>
  );
}
