/** The portal's top bar: brand, sections the user may open, who is signed in, language, sign-out. */
import Link from "next/link";
import { allows, ADMIN, EXPLORER } from "@/lib/access";
import type { Dictionary } from "@/lib/i18n/dictionaries";
import type { Locale } from "@/lib/i18n/locale";
import type { SessionUser } from "@/server/auth/resolve-session";
import { LocaleSwitch } from "./locale-switch";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

export function SiteHeader({ user, t, locale }: { user: SessionUser; t: Dictionary; locale: Locale }) {
  const links = [{ href: "/", label: t.common.home }];
  if (allows(EXPLORER, user)) links.push({ href: "/explorer", label: t.apps.explorer.name });
  if (allows(ADMIN, user)) links.push({ href: "/admin", label: t.apps.admin.name });
  const deptName = locale === "en" ? user.deptNameEn : user.deptName;
  return (
    <header className="topbar">
      <div className="topbar-inner">
        <Link href="/" className="brand">
          <span className="brand-mark">链</span>
          <span className="brand-text">
            <span className="brand-name">{t.brand.name}</span>
            <span className="brand-sub">{t.brand.sub}</span>
          </span>
        </Link>
        <NavLinks links={links} />
        <div className="userbox">
          <div className="userchip" data-testid="current-user">
            <span className="userchip-name">
              {user.name} · {t.roles[user.role]}
            </span>
            <span className="userchip-meta" title={deptName}>
              {deptName} · {t.clearance} {user.clearance}
            </span>
          </div>
          <LocaleSwitch />
          <SignOutButton />
        </div>
      </div>
    </header>
  );
}
