"use client";
/** Switches zh-CN / en by cookie and re-renders the current page on the server. */
import { useRouter } from "next/navigation";
import { useI18n } from "@/lib/i18n/client";
import { LOCALE_COOKIE } from "@/lib/i18n/locale";

export function LocaleSwitch() {
  const { locale, t } = useI18n();
  const router = useRouter();
  return (
    <button
      type="button"
      className="btn btn-ghost btn-sm"
      data-testid="locale-switch"
      lang={locale === "en" ? "zh-CN" : "en"}
      onClick={() => {
        const next = locale === "en" ? "zh-CN" : "en";
        document.cookie = `${LOCALE_COOKIE}=${next}; Path=/; Max-Age=31536000; SameSite=Lax`;
        router.refresh();
      }}
    >
      {t.common.language}
    </button>
  );
}
