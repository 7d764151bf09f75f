/**
 * The big screen's live stream (Server-Sent Events): a snapshot (plates, every position, ledger
 * head), then coalesced position frames, alarms as they are raised, ledger heads and heartbeats.
 * Signed-in users whose role allows the big screen (BIGSCREEN); the session is re-checked every
 * minute, so a signed-out or disabled user's stream ends.
 */
import { allows, BIGSCREEN } from "@/lib/access";
import { bigscreenView, liveFilter } from "@/server/bigscreen/access";
import { parseCookies, SESSION_COOKIE } from "@/server/auth/cookies";
import { resolveSession } from "@/server/auth/resolve-session";
import type { FeedEvent } from "@/server/live/fleet-feed";
import { getFleetFeed } from "@/server/live/registry";
import { getServices } from "@/server/services";

export const dynamic = "force-dynamic";

const SESSION_RECHECK_MS = 60_000;

function sse(e: FeedEvent): string {
  return `event: ${e.event}\ndata: ${typeof e.data === "string" ? e.data : JSON.stringify(e.data)}\n\n`;
}

export async function GET(req: Request): Promise<Response> {
  const services = await getServices();
  const token = parseCookies(req.headers.get("cookie"))[SESSION_COOKIE];
  const session = await resolveSession(services.ledger, token);
  if (!session) return Response.json({ error: "请先登录 Sign-in required" }, { status: 401 });
  if (!allows(BIGSCREEN, session.user)) return Response.json({ error: "权限不足 Forbidden" }, { status: 403 });
  const feed = getFleetFeed(services);
  // What this viewer may see of the stream: the vehicle procedures' policy, decided at connect and at each session recheck.
  let filter = liveFilter(await bigscreenView(services.ledger, session.user));
  if (!feed) return Response.json({ error: "车辆监管未运行 vehicle supervision is not running" }, { status: 503 });

  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (raw: FeedEvent) => {
        if (closed) return;
        const e = filter(raw);
        if (!e) return;
        try {
          controller.enqueue(encoder.encode(sse(e)));
        } catch {
          cleanup();
        }
      };
      // Reconnect after 2 s when the connection drops (EventSource honours `retry`).
      controller.enqueue(encoder.encode("retry: 2000\n\n"));
      const unsubscribe = feed.subscribe(send);
      const recheck = setInterval(async () => {
        const still = await resolveSession(services.ledger, token).catch(() => null);
        if (still && allows(BIGSCREEN, still.user)) filter = liveFilter(await bigscreenView(services.ledger, still.user));
        if (!still || !allows(BIGSCREEN, still.user)) {
          send({ event: "hello", data: { signedOut: true } });
          cleanup();
          try {
            controller.close();
          } catch {
            // already closed
          }
        }
      }, SESSION_RECHECK_MS);
      cleanup = () => {
        if (closed) return;
        closed = true;
        clearInterval(recheck);
        unsubscribe();
      };
      req.signal.addEventListener("abort", () => cleanup());
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache, no-transform", connection: "keep-alive", "x-accel-buffering": "no" },
  });
}
