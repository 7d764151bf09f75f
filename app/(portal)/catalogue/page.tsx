import type { Metadata } from "next";
import Link from "next/link";
import { CatalogueBrowser } from "@/components/sharing/catalogue-browser";
import { SHARING_STRINGS } from "@/components/sharing/strings";
import { ADMIN, allows } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "资源目录 Resource catalogue" };

export default async function CataloguePage() {
  const user = await requireUser("/catalogue");
  const { locale } = await getDictionary();
  const s = SHARING_STRINGS[locale];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{s.title}</h1>
          <p>{s.subtitle}</p>
        </div>
        {allows(ADMIN, user) ? (
          <Link className="btn btn-ghost" href="/admin/sharing" data-testid="sharing-admin-link">
            {s.admin.title}
          </Link>
        ) : null}
      </div>
      <CatalogueBrowser />
    </>
  );
}
