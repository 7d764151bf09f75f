/**
 * The client address of a request. X-Forwarded-For is set by whoever sent the request, so it is
 * believed only behind configured proxies (TRUSTED_PROXIES: comma-separated IPs or IPv4 CIDRs):
 * the address is the rightmost hop that is not one of them. Without that setting the header is
 * ignored and every request is "direct" (a Next route handler cannot see the socket): per-address
 * limits then do not apply, and sign-in relies on per-account backoff and device cookies.
 */
export const DIRECT = "direct";

export interface TrustedProxies {
  has(ip: string): boolean;
  readonly size: number;
}

function ipv4ToInt(ip: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** Normalises an address: strips an IPv4-mapped IPv6 prefix, a port and brackets; lowercase. */
export function normaliseIp(raw: string): string {
  let ip = raw.trim().toLowerCase();
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracket) ip = bracket[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":"));
  if (ip.startsWith("::ffff:") && ipv4ToInt(ip.slice(7)) !== null) ip = ip.slice(7);
  return ip;
}

/** Parses TRUSTED_PROXIES. @throws on an entry that is neither an IP nor an IPv4 CIDR. */
export function parseTrustedProxies(spec: string | undefined): TrustedProxies {
  const exact = new Set<string>();
  const ranges: [number, number][] = [];
  for (const raw of (spec ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [addr, bits] = raw.split("/");
    if (bits !== undefined) {
      const base = ipv4ToInt(addr);
      const n = Number(bits);
      if (base === null || !Number.isInteger(n) || n < 0 || n > 32) throw new Error(`TRUSTED_PROXIES: ${raw} is not an IPv4 CIDR`);
      const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
      ranges.push([(base & mask) >>> 0, mask]);
    } else {
      if (ipv4ToInt(addr) === null && !addr.includes(":")) throw new Error(`TRUSTED_PROXIES: ${raw} is not an IP address`);
      exact.add(normaliseIp(addr));
    }
  }
  return {
    size: exact.size + ranges.length,
    has(ip) {
      const n = normaliseIp(ip);
      if (exact.has(n)) return true;
      const v = ipv4ToInt(n);
      return v !== null && ranges.some(([base, mask]) => ((v & mask) >>> 0) === base);
    },
  };
}

/** The client address, or DIRECT when no trusted proxy is configured or the header names none. */
export function clientIp(headers: Headers, trusted: TrustedProxies): string {
  if (trusted.size === 0) return DIRECT;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((s) => normaliseIp(s)).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) if (!trusted.has(hops[i])) return hops[i];
  return hops[0] ?? DIRECT;
}
