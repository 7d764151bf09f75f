/**
 * dispatch.nearest: nearest-unit queries on the Futian road graph with 500 units — one reversed
 * Dijkstra from the incident, each unit snapped and looked up, ranked by ETA (target p99 < 50 ms).
 */
import { recommend } from "../server/dispatch/recommend";
import { RoadGraph } from "../server/geo/road-graph";
import { percentile } from "./ledger.js";

/** A small deterministic PRNG (mulberry32), so every run queries the same points. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function benchDispatch(opts: { units?: number; queries?: number } = {}): Promise<void> {
  const UNITS = opts.units ?? 500;
  const QUERIES = opts.queries ?? 300;
  const graph = RoadGraph.fromFile();
  const rnd = prng(2026);
  const point = (): [number, number] => [114.01 + rnd() * 0.09, 22.52 + rnd() * 0.04];
  const units = Array.from({ length: UNITS }, (_, i) => {
    const [lon, lat] = point();
    return { id: `u${i}`, lon, lat, status: "available" as const, capabilities: [i % 3 === 0 ? "fire" : "medical"] };
  });
  recommend(graph, point(), units, "medical"); // builds the core once, as a running server has
  const ms: number[] = [];
  let found = 0;
  for (let q = 0; q < QUERIES; q++) {
    const incident = point();
    const t0 = performance.now();
    found += recommend(graph, incident, units, "medical", 5).length;
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  console.log(JSON.stringify({ bench: "dispatch.nearest", units: UNITS, queries: QUERIES, graph_nodes: graph.size, p50_ms: round(percentile(ms, 50)), p99_ms: round(percentile(ms, 99)), recommended_per_query: found / QUERIES }));
}
