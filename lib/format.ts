/** Display formatting shared by server and client (fixed time zone, so both render the same text). */
import type { Locale } from "./i18n/locale";

const TZ = "Asia/Shanghai";

function dateTime(ms: number | null | undefined, locale: Locale, withYear: boolean): string {
  if (ms === null || ms === undefined) return "—";
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "zh-CN", {
    timeZone: TZ,
    ...(withYear ? { year: "numeric" } : {}),
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  }).format(new Date(ms));
}

export const formatTime = (ms: number | null | undefined, locale: Locale): string => dateTime(ms, locale, true);

/** Month, day and time without the year, for table columns (the full time goes in a title). */
export const formatShortTime = (ms: number | null | undefined, locale: Locale): string => dateTime(ms, locale, false);

export function formatNumber(n: number, locale: Locale): string {
  return new Intl.NumberFormat(locale === "en" ? "en-US" : "zh-CN").format(n);
}

export function shortHash(hash: string, head = 10, tail = 6): string {
  return hash.length <= head + tail + 1 ? hash : `${hash.slice(0, head)}…${hash.slice(-tail)}`;
}
