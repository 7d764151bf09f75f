import type { Metadata } from "next";
import Link from "next/link";
import { IDCHECK_STRINGS } from "@/components/identity/strings";
import { VerifyDesk } from "@/components/identity/verify-desk";
import { allows, IDCHECK_REVIEW, IDCHECK_USE } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";
import { registryOwner } from "@/server/identity/review";
import { getServices } from "@/server/services";

export const metadata: Metadata = { title: "身份核验 ID verification" };

export default async function IdCheckPage() {
  const user = await requireAccess(IDCHECK_USE, "/idcheck");
  const { locale } = await getDictionary();
  const s = IDCHECK_STRINGS[locale];
  const owner = await registryOwner((await getServices()).ledger);
  const reviews = allows(IDCHECK_REVIEW, user) && (user.role === "sys_admin" || user.dept === owner);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{s.title}</h1>
          <p>{s.subtitle}</p>
        </div>
        {reviews ? (
          <Link className="btn btn-ghost" href="/idcheck/review" data-testid="idcheck-review-link">
            {s.review}
          </Link>
        ) : null}
      </div>
      <div style={{ maxWidth: 560 }}>
        <VerifyDesk />
      </div>
    </>
  );
}
