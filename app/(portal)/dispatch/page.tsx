import type { Metadata } from "next";
import Link from "next/link";
import { DispatchConsole } from "@/components/dispatch/dispatch-console";
import { DISPATCH_STRINGS } from "@/components/dispatch/strings";
import { allows, DISPATCH_CREW, DISPATCH_RULES, DISPATCH_VIEW, DISPATCH_WORK } from "@/lib/access";
import { getDictionary } from "@/lib/i18n/server";
import { requireAccess } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "应急调度 Emergency dispatch" };

export default async function DispatchPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireAccess(DISPATCH_VIEW, "/dispatch");
  const sp = await searchParams;
  const incident = typeof sp.incident === "string" && /^inc-[a-z0-9-]{4,60}$/.test(sp.incident) ? sp.incident : null;
  const { locale } = await getDictionary();
  const s = DISPATCH_STRINGS[locale];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>{s.title}</h1>
          <p>{s.subtitle}</p>
        </div>
        {allows(DISPATCH_CREW, user) ? (
          <Link className="btn btn-ghost" href="/dispatch/unit" data-testid="to-unit-terminal">
            {s.unitTitle}
          </Link>
        ) : null}
      </div>
      <DispatchConsole canWork={allows(DISPATCH_WORK, user)} canSetSla={allows(DISPATCH_RULES, user)} initialIncident={incident} />
    </>
  );
}
