import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { LocaleSwitch } from "@/components/shell/locale-switch";
import { getDictionary } from "@/lib/i18n/server";
import { getCurrentUser } from "@/server/auth/current-user";

export const metadata: Metadata = { title: "登录 Sign in" };
export const dynamic = "force-dynamic";

/** Only same-site paths are followed after sign-in. */
function safeNext(next: string | string[] | undefined): string {
  const n = Array.isArray(next) ? next[0] : next;
  return n && n.startsWith("/") && !n.startsWith("//") ? n : "/";
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await getCurrentUser()) redirect(next);
  const { t } = await getDictionary();
  return (
    <div className="login-wrap">
      <div className="login-top">
        <div className="brand">
          <span className="brand-mark">链</span>
          <span className="brand-text">
            <span className="brand-name">{t.brand.name}</span>
            <span className="brand-sub">{t.brand.sub}</span>
          </span>
        </div>
        <LocaleSwitch />
      </div>
      <main className="login-main">
        <div className="login-card">
          <div className="login-card-head">
            <h1>{t.login.title}</h1>
            <p>{t.login.subtitle}</p>
          </div>
          <LoginForm next={next} />
        </div>
      </main>
      <footer className="login-foot">{t.login.footer}</footer>
    </div>
  );
}
