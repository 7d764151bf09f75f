/** Every portal page: signed-in users only, under the common top bar. */
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { SiteHeader } from "@/components/shell/site-header";
import { getDictionary } from "@/lib/i18n/server";
import { requireUser } from "@/server/auth/current-user";

export const dynamic = "force-dynamic";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  // The proxy passes the requested path, for the way back after sign-in.
  const path = (await headers()).get("x-cityledger-path") ?? "/";
  const user = await requireUser(path.startsWith("/") ? path : "/");
  const { t, locale } = await getDictionary();
  return (
    <>
      <SiteHeader user={user} t={t} locale={locale} />
      <main className="page">{children}</main>
    </>
  );
}
