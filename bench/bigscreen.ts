/**
 * bigscreen.update: the browser's data work per live update for 20,000 vehicles — base64 decode,
 * frame decode and the write into the typed arrays deck.gl draws from (FleetBuffers.apply +
 * layerData) — measured in Debian Chromium through Playwright. Not GL frame time. Each update
 * carries every vehicle (the worst case: a full snapshot), as the server encodes it.
 */
import { build } from "esbuild";
import { chromium } from "@playwright/test";
import { encodePositionFrame, type PositionSource } from "../lib/live/position-frame.js";

const VEHICLES = Number(process.env.BENCH_BIGSCREEN_VEHICLES ?? 20_000);
const UPDATES = 60;

function fleet(n: number, step: number): PositionSource {
  const src = { count: n, lon: new Float64Array(n), lat: new Float64Array(n), heading: new Float32Array(n), speed: new Float32Array(n), ts: new Float64Array(n), cls: new Uint8Array(n) };
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const a = (i * 2.399963) % (2 * Math.PI);
    const r = 0.04 * Math.sqrt(i / n);
    src.lon[i] = 114.055 + r * Math.cos(a) + step * 1e-5;
    src.lat[i] = 22.545 + r * Math.sin(a) + step * 1e-5;
    src.heading[i] = (i * 37 + step * 3) % 360;
    src.speed[i] = (i % 60) + 5;
    src.ts[i] = now - (i % 5) * 1000;
    src.cls[i] = i % 7;
  }
  return src;
}

export async function benchBigscreen(): Promise<void> {
  const bundle = await build({
    stdin: {
      contents: `import { FleetBuffers } from "./lib/live/fleet-buffers.ts"; import { base64ToBytes, decodePositionFrame } from "./lib/live/position-frame.ts"; window.__live = { FleetBuffers, base64ToBytes, decodePositionFrame };`,
      resolveDir: process.cwd(),
      loader: "ts",
    },
    bundle: true,
    format: "iife",
    write: false,
    tsconfigRaw: { compilerOptions: { paths: { "@/*": ["./*"] } } },
    logLevel: "silent",
  });
  const frames = Array.from({ length: 8 }, (_, k) => Buffer.from(encodePositionFrame(fleet(VEHICLES, k), Date.now())).toString("base64"));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"] });
  try {
    const page = await browser.newPage();
    await page.setContent("<!doctype html><title>bench</title>");
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    const r = await page.evaluate(
      ({ frames, updates }) => {
        const L = (window as unknown as { __live: { FleetBuffers: new () => { apply(f: unknown): void; layerData(): { length: number } }; base64ToBytes(s: string): Uint8Array; decodePositionFrame(b: Uint8Array): unknown } }).__live;
        const fleet = new L.FleetBuffers();
        const times: number[] = [];
        let length = 0;
        for (let i = 0; i < updates + 10; i++) {
          const t0 = performance.now();
          fleet.apply(L.decodePositionFrame(L.base64ToBytes(frames[i % frames.length])));
          length = fleet.layerData().length;
          const dt = performance.now() - t0;
          if (i >= 10) times.push(dt); // after warm-up
        }
        times.sort((a, b) => a - b);
        return { median: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)], length };
      },
      { frames, updates: UPDATES },
    );
    if (r.length !== VEHICLES) throw new Error(`applied ${r.length} vehicles, want ${VEHICLES}`);
    console.log(
      JSON.stringify({
        bench: "bigscreen.update",
        vehicles: VEHICLES,
        ms_per_update: Math.round(r.median * 100) / 100,
        p95_ms: Math.round(r.p95 * 100) / 100,
        frame_bytes_base64: frames[0].length,
        target_ms: 8,
      }),
    );
  } finally {
    await browser.close();
  }
}
