/** 统一平台入口: the portal home. */
import { AlertsInbox } from "@/components/home/alerts-inbox";
import { AppTiles } from "@/components/home/app-tiles";
import { GlobalSearch } from "@/components/home/global-search";
import { LedgerStatus } from "@/components/home/ledger-status";
import { Panel } from "@/components/ui/panel";
import { allows, EXPLORER } from "@/lib/access";
import { appsFor } from "@/lib/apps";
import { getDictionary } from "@/lib/i18n/server";
import { requireUser } from "@/server/auth/current-user";

export default async function HomePage() {
  const user = await requireUser("/");
  const { t, locale } = await getDictionary();
  return (
    <>
      <div className="page-head">
        <div>
          <h1>
            {t.home.welcome}
            {user.name}
          </h1>
          <p>
            {locale === "en" ? user.deptNameEn : user.deptName} · {t.roles[user.role]} · {t.clearance} {user.clearance}
          </p>
        </div>
      </div>
      <div className="grid grid-home">
        <div className="stack">
          <Panel title={t.home.apps} hint={t.home.appsHint}>
            <AppTiles apps={appsFor(user)} t={t} />
          </Panel>
          <AlertsInbox canExplore={allows(EXPLORER, user)} />
        </div>
        <div className="stack">
          <GlobalSearch />
          <LedgerStatus />
        </div>
      </div>
    </>
  );
}
