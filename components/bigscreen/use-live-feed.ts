"use client";
/**
 * Follows the big screen's SSE stream: position frames go straight into FleetBuffers (typed arrays),
 * alarms and the ledger head into state. When the stream drops it reconnects (EventSource retries;
 * a closed stream is reopened with backoff) and reports "stale" until data flows again.
 */
import { useEffect, useRef, useState } from "react";
import { FleetBuffers } from "@/lib/live/fleet-buffers";
import { base64ToBytes, decodePositionFrame } from "@/lib/live/position-frame";

export const LIVE_URL = "/api/live/bigscreen";
/** No event (heartbeats come every 5 s) for this long: the picture is stale. */
export const STALE_AFTER_MS = 12_000;

export interface LiveAlarm {
  id: string;
  type: string;
  severity: string;
  plate: string;
  cls?: string;
  ts: number;
  lon: number | null;
  lat: number | null;
  geofence?: string | null;
  status?: string;
  speedKmh?: number;
  limitKmh?: number;
  /** When this page received it (ms), for highlighting. */
  receivedAt?: number;
}

export interface LedgerHead {
  height: number;
  txCount: number;
  lastBlockTime: number;
}

export type FeedStatus = "connecting" | "live" | "stale";

export interface LiveFeed {
  fleet: FleetBuffers;
  /** Bumped when positions change: at most once per frame, and less often on a slow renderer. */
  version: number;
  alarms: LiveAlarm[];
  ledger: LedgerHead | null;
  status: FeedStatus;
  lastEventAt: number;
  /** ms spent decoding and applying the last position frame. */
  lastApplyMs: number;
  /** Measured cost of the last redraw (ms, two animation frames), which paces the next. */
  redrawMs: number;
}

/**
 * The map redraws for the feed at most this share of the time. A wall with a GPU redraws every
 * frame that arrives (~1 s apart); a software renderer (SwiftShader, llvmpipe) that needs seconds
 * per frame gets fewer, so the page, its clocks and its charts stay responsive.
 */
const REDRAW_SHARE = 0.25;

export function useLiveFeed(url = LIVE_URL, maxAlarms = 60): LiveFeed {
  const fleet = useRef<FleetBuffers>(null as unknown as FleetBuffers);
  fleet.current ??= new FleetBuffers();
  const [version, setVersion] = useState(0);
  const [alarms, setAlarms] = useState<LiveAlarm[]>([]);
  const [ledger, setLedger] = useState<LedgerHead | null>(null);
  const [status, setStatus] = useState<FeedStatus>("connecting");
  const last = useRef({ at: 0, applyMs: 0, redrawMs: 0 });
  const [lastEventAt, setLastEventAt] = useState(0);

  useEffect(() => {
    let es: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let backoff = 1000;
    let frame = 0;
    let closed = false;
    const touch = () => {
      last.current.at = Date.now();
      setStatus((s) => (s === "live" ? s : "live"));
    };
    let redrawTimer: ReturnType<typeof setTimeout> | null = null;
    let nextRedrawAt = 0;
    const redraw = () => {
      frame = requestAnimationFrame(() => {
        frame = 0;
        const t0 = performance.now();
        setVersion(fleet.current.version);
        setLastEventAt(last.current.at);
        // The frame after next starts once this redraw has been composited: its delay is the cost.
        requestAnimationFrame(() =>
          requestAnimationFrame(() => {
            const cost = performance.now() - t0;
            last.current.redrawMs = cost;
            nextRedrawAt = performance.now() + cost * (1 / REDRAW_SHARE - 1);
          }),
        );
        nextRedrawAt = Number.POSITIVE_INFINITY; // until measured
      });
    };
    const bump = () => {
      if (frame || redrawTimer || closed) return;
      const wait = nextRedrawAt - performance.now();
      if (wait <= 0) return redraw();
      // Infinity (still measuring) waits for the measurement, checking again shortly.
      redrawTimer = setTimeout(() => {
        redrawTimer = null;
        bump();
      }, Math.min(wait, 250));
    };
    const open = () => {
      if (closed) return;
      es = new EventSource(url);
      es.addEventListener("hello", (e) => {
        const d = JSON.parse((e as MessageEvent).data) as { signedOut?: boolean };
        if (d.signedOut) {
          window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
          return;
        }
        // A (re)connection starts from a full snapshot.
        fleet.current.reset();
        backoff = 1000;
        touch();
      });
      es.addEventListener("plates", (e) => {
        const d = JSON.parse((e as MessageEvent).data) as { from: number; plates: string[] };
        fleet.current.setPlates(d.from, d.plates);
        touch();
      });
      es.addEventListener("positions", (e) => {
        const t0 = performance.now();
        fleet.current.apply(decodePositionFrame(base64ToBytes((e as MessageEvent).data)));
        last.current.applyMs = performance.now() - t0;
        touch();
        bump();
      });
      es.addEventListener("alarm", (e) => {
        const a = JSON.parse((e as MessageEvent).data) as LiveAlarm;
        setAlarms((list) => [{ ...a, status: "open", receivedAt: Date.now() }, ...list.filter((x) => x.id !== a.id)].slice(0, maxAlarms));
        touch();
      });
      es.addEventListener("ledger", (e) => {
        setLedger(JSON.parse((e as MessageEvent).data) as LedgerHead);
        touch();
      });
      es.addEventListener("heartbeat", touch);
      es.onerror = () => {
        setStatus("stale");
        if (es?.readyState === EventSource.CLOSED) {
          // The browser gave up (e.g. an HTTP error): reopen later, backing off to 30 s.
          es.close();
          retry = setTimeout(() => {
            retry = null;
            open();
          }, backoff);
          backoff = Math.min(backoff * 2, 30_000);
        }
      };
    };
    open();
    const watchdog = setInterval(() => {
      if (last.current.at && Date.now() - last.current.at > STALE_AFTER_MS) {
        setStatus("stale");
        // A silent connection (proxy, sleeping network): drop it and reconnect.
        es?.close();
        if (!retry) {
          retry = setTimeout(() => {
            retry = null;
            open();
          }, 1000);
        }
        last.current.at = Date.now() - STALE_AFTER_MS + 5000;
      }
    }, 2000);
    return () => {
      closed = true;
      es?.close();
      if (retry) clearTimeout(retry);
      clearInterval(watchdog);
      if (frame) cancelAnimationFrame(frame);
      if (redrawTimer) clearTimeout(redrawTimer);
    };
  }, [url, maxAlarms]);

  return { fleet: fleet.current, version, alarms, ledger, status, lastEventAt, lastApplyMs: last.current.applyMs, redrawMs: last.current.redrawMs };
}
