import type { Metadata } from "next";
import Link from "next/link";
import { DISPATCH_STRINGS } from "@/components/dispatch/strings";
import { UnitTerminal } from "@/components/dispatch/unit-terminal";
import { DISPATCH_CREW } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "出车终端 Unit terminal" };

export default async function UnitTerminalPage() {
  await requireAccess(DISPATCH_CREW, "/dispatch/unit");
  const { locale } = await getDictionary();
  const s = DISPATCH_STRINGS[locale];
  return (
    <>
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link href="/dispatch">{s.title}</Link> /
          </div>
          <h1>{s.unitTitle}</h1>
          <p>{s.unitSubtitle}</p>
        </div>
      </div>
      <div style={{ maxWidth: 560 }}>
        <UnitTerminal />
      </div>
    </>
  );
}
