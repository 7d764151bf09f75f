/**
 * Checks on a tRPC HTTP request before tRPC sees it: cross-site request forgery and content type.
 * A mutation is a POST; a browser always sends Origin on a POST, so a POST whose Origin is not the
 * portal's is refused, and so is a POST carrying the session cookie with neither Origin nor Referer.
 * A POST must be application/json, which an HTML form cannot send cross-site without CORS.
 * The portal's origins: the configured ones (APP_ORIGIN, server/config.ts) when set, else the request's own host.
 */
import { SESSION_COOKIE, parseCookies } from "../auth/cookies";

/** The most calls one batched request may carry; the client's batch link uses the same. */
export const MAX_BATCH = 20;

function allowedOrigins(req: Request, configured: readonly string[]): string[] {
  if (configured.length) return [...configured];
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  const proto = req.headers.get("x-forwarded-proto") ?? new URL(req.url).protocol.replace(":", "");
  return host ? [`${proto}://${host}`] : [new URL(req.url).origin];
}

function originOf(req: Request): string | null {
  const origin = req.headers.get("origin");
  if (origin && origin !== "null") return origin;
  const referer = req.headers.get("referer");
  if (!referer) return origin === "null" ? "null" : null;
  try {
    return new URL(referer).origin;
  } catch {
    return "null";
  }
}

const refuse = (status: number, message: string) =>
  new Response(JSON.stringify({ error: { json: { message, code: -32600, data: { code: status === 415 ? "UNSUPPORTED_MEDIA_TYPE" : status === 400 ? "BAD_REQUEST" : "FORBIDDEN", httpStatus: status } } } }), {
    status,
    headers: { "content-type": "application/json" },
  });

/** True when a JSON value holds any text (a plate, a person key, an ID number, a search term). */
const holdsText = (v: unknown): boolean => (typeof v === "string" ? v.length > 0 : Array.isArray(v) ? v.some(holdsText) : !!v && typeof v === "object" && Object.values(v).some(holdsText));

/** A GET whose input carries text: refused, so no URL (and no log line of one) ever holds a plate, a key or a number. */
function textInUrl(req: Request): boolean {
  const raw = new URL(req.url).searchParams.get("input");
  if (!raw) return false;
  try {
    return holdsText(JSON.parse(raw));
  } catch {
    return true;
  }
}

/** A refusal response, or null when the request may proceed. */
export function guardTrpcRequest(req: Request, appOrigins: readonly string[] = []): Response | null {
  if (req.method === "GET" && textInUrl(req)) return refuse(400, "文本输入须放在 POST 请求体中，不得出现在网址里 text inputs travel in a POST body, never in a URL");
  if (req.method !== "POST") return null;
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") return refuse(415, "请求须为 application/json a tRPC mutation must be sent as application/json");
  const origin = originOf(req);
  if (origin === null) {
    if (parseCookies(req.headers.get("cookie"))[SESSION_COOKIE]) return refuse(403, "跨站请求校验失败：缺少 Origin cross-site request check failed: a signed-in POST must carry Origin");
    return null;
  }
  if (!allowedOrigins(req, appOrigins).includes(origin)) return refuse(403, `跨站请求校验失败：来源 ${origin} 不被允许 cross-site request check failed: origin ${origin} is not this portal`);
  return null;
}
