import type { Metadata } from "next";
import Link from "next/link";
import { AdminConsole } from "@/components/admin/admin-console";
import { ADMIN, allows, EXPLORER } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "系统管理 Admin" };

export default async function AdminPage() {
  const user = await requireAccess(ADMIN, "/admin");
  const { t, locale } = await getDictionary();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{t.admin.title}</h1>
          <p>{t.admin.subtitle}</p>
        </div>
        <div style={{ display: "flex", gap: 8, flexWrap: "wrap" }}>
          <Link className="btn btn-ghost" href="/admin/sharing" data-testid="admin-sharing-link">
            {t.apps.sharing.name} · {t.apps.sharing.desc}
          </Link>
          <Link className="btn btn-ghost" href="/admin/nodes" data-testid="admin-nodes-link">
            {locale === "en" ? "Ledger nodes" : "账本节点"}
          </Link>
        </div>
      </div>
      <AdminConsole me={{ id: user.id, role: user.role, dept: user.dept, clearance: user.clearance }} canExplore={allows(EXPLORER, user)} />
    </>
  );
}
