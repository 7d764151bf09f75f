/** The request's locale and dictionary, for server components. */
import "server-only";
import { cookies } from "next/headers";
import { DICTIONARIES, type Dictionary } from "./dictionaries";
import { LOCALE_COOKIE, toLocale, type Locale } from "./locale";

export async function getLocale(): Promise<Locale> {
  return toLocale((await cookies()).get(LOCALE_COOKIE)?.value);
}

export async function getDictionary(): Promise<{ locale: Locale; t: Dictionary }> {
  const locale = await getLocale();
  return { locale, t: DICTIONARIES[locale] };
}
