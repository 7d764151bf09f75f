import type { Metadata } from "next";
import Link from "next/link";
import { SharingAdmin } from "@/components/sharing/sharing-admin";
import { SHARING_STRINGS } from "@/components/sharing/strings";
import { ADMIN } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "数据共享管理 Data sharing admin" };

const TABS = ["requests", "grants", "matrix", "audit"] as const;

export default async function SharingAdminPage({ searchParams }: { searchParams: Promise<{ tab?: string }> }) {
  await requireAccess(ADMIN, "/admin/sharing");
  const { tab } = await searchParams;
  const { locale } = await getDictionary();
  const s = SHARING_STRINGS[locale];
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/admin">Admin</Link> / <Link href="/catalogue">{s.admin.catalogue}</Link>
          </div>
          <h1>{s.admin.title}</h1>
          <p>{s.admin.subtitle}</p>
        </div>
      </div>
      <SharingAdmin initialTab={(TABS as readonly string[]).includes(tab ?? "") ? (tab as (typeof TABS)[number]) : "requests"} />
    </>
  );
}
