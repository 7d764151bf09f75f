/** The session and locale cookies: names, parsing and Set-Cookie serialisation. */

export const SESSION_COOKIE = "cl_session";

export function parseCookies(header: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (!k || k in out) continue;
    try {
      out[k] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      out[k] = part.slice(i + 1).trim();
    }
  }
  return out;
}

/** httpOnly, SameSite=Lax, Path=/, Secure when served over https. maxAgeSec 0 deletes the cookie. */
export function sessionCookie(token: string, opts: { secure: boolean; maxAgeSec: number }): string {
  return [
    `${SESSION_COOKIE}=${opts.maxAgeSec > 0 ? token : ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${Math.max(0, Math.floor(opts.maxAgeSec))}`,
    ...(opts.secure ? ["Secure"] : []),
  ].join("; ");
}
