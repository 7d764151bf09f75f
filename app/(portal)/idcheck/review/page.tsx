import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { ReviewConsole } from "@/components/identity/review-console";
import { IDCHECK_STRINGS } from "@/components/identity/strings";
import { IDCHECK_REVIEW } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";
import { registryOwner } from "@/server/identity/review";
import { getServices } from "@/server/services";

export const metadata: Metadata = { title: "核验审查 ID check review" };

export default async function IdCheckReviewPage() {
  const user = await requireAccess(IDCHECK_REVIEW, "/idcheck/review");
  // The review is the registry owner's (and a system admin's): other police units verify, they do not review.
  const owner = await registryOwner((await getServices()).ledger);
  if (user.role !== "sys_admin" && user.dept !== owner) forbidden();
  const { locale } = await getDictionary();
  const s = IDCHECK_STRINGS[locale];
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/idcheck">{s.title}</Link> /
          </div>
          <h1>{s.reviewTitle}</h1>
          <p>{s.reviewSubtitle}</p>
        </div>
      </div>
      <ReviewConsole />
    </>
  );
}
