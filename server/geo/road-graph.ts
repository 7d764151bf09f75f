/**
 * A routable directed road graph: junctions are shared vertices of the OSM ways, one-way streets
 * are respected, and each edge's cost is its travel time at the speed of its road class. Travel
 * times come from Dijkstra over a binary heap; one search from a destination on the reversed graph
 * gives every vehicle's ETA to it at once (nearest-unit queries).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import RBush from "rbush";
import { project, unproject, type LonLat, type XY } from "./geometry";

/** Urban travel speeds (km/h) by OSM class: free-flow figures for Shenzhen's centre. */
export const CLASS_SPEED_KMH: Record<string, number> = {
  motorway: 80,
  trunk: 60,
  primary: 45,
  secondary: 35,
  motorway_link: 40,
  trunk_link: 35,
  primary_link: 30,
  secondary_link: 25,
};

export interface RoadFeatureInput {
  properties: { highway: string; oneway?: boolean | string; name?: string | null };
  geometry: { type: string; coordinates: LonLat[] };
}

export interface Route {
  seconds: number;
  meters: number;
  /** Node ids from origin to destination. */
  nodes: number[];
  /** The path as [lon, lat] points. */
  path: LonLat[];
}

interface NodeBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  id: number;
}

export class RoadGraph {
  readonly xy: XY[] = [];
  /** Outgoing edges per node: [to, seconds, meters]. */
  readonly out: [number, number, number][][] = [];
  /** Incoming edges per node (the reversed graph). */
  readonly in: [number, number, number][][] = [];
  private readonly index = new RBush<NodeBox>();

  /**
   * @param snapM endpoints of different ways closer than this are one junction. The SUMO export ends
   *   each way a few metres short of the junction centre, so exact vertex sharing would leave the
   *   network in pieces. Measured from the Civic Centre: unsnapped 0.3% of nodes reachable, 5 m 41%,
   *   12 m 59%, 20 m 87% (the rest sit on the data window's one-way edges), 30 m 88%.
   */
  constructor(features: RoadFeatureInput[], snapM = 20) {
    const ways = features.filter((f) => f.geometry?.type === "LineString" && CLASS_SPEED_KMH[String(f.properties.highway)]);
    // 1. Cluster way endpoints within snapM (union-find over an R-tree of endpoints).
    const ends: XY[] = ways.flatMap((f) => [project(...f.geometry.coordinates[0]), project(...f.geometry.coordinates[f.geometry.coordinates.length - 1])]);
    const parent = ends.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
    const tree = new RBush<NodeBox>();
    tree.load(ends.map(([x, y], id) => ({ minX: x, minY: y, maxX: x, maxY: y, id })));
    ends.forEach(([x, y], i) => {
      for (const n of tree.search({ minX: x - snapM, minY: y - snapM, maxX: x + snapM, maxY: y + snapM })) {
        if (n.id !== i && Math.hypot(ends[n.id][0] - x, ends[n.id][1] - y) <= snapM) parent[find(n.id)] = find(i);
      }
    });
    const clusterNode = new Map<number, number>();
    const sums = new Map<number, [number, number, number]>();
    ends.forEach(([x, y], i) => {
      const r = find(i);
      const s = sums.get(r) ?? [0, 0, 0];
      sums.set(r, [s[0] + x, s[1] + y, s[2] + 1]);
    });
    for (const [r, [sx, sy, n]] of sums) clusterNode.set(r, this.addNode([sx / n, sy / n]));
    // 2. Edges along every way; interior vertices are nodes of their own way only.
    ways.forEach((f, w) => {
      const speed = CLASS_SPEED_KMH[String(f.properties.highway)];
      const oneway = f.properties.oneway === true || f.properties.oneway === "True" || f.properties.oneway === "yes";
      const coords = f.geometry.coordinates;
      const pts = coords.map((c, i) =>
        i === 0 ? clusterNode.get(find(2 * w))! : i === coords.length - 1 ? clusterNode.get(find(2 * w + 1))! : this.addNode(project(...c)),
      );
      for (let i = 1; i < pts.length; i++) {
        if (pts[i] === pts[i - 1]) continue;
        this.addEdge(pts[i - 1], pts[i], speed);
        if (!oneway) this.addEdge(pts[i], pts[i - 1], speed);
      }
    });
    this.index.load(this.xy.map(([x, y], id) => ({ minX: x, minY: y, maxX: x, maxY: y, id })));
  }

  static fromFile(path = join(/*turbopackIgnore: true*/ process.cwd(), "public/geo/shenzhen_roads_major.geojson")): RoadGraph {
    return new RoadGraph(JSON.parse(readFileSync(path, "utf8")).features);
  }

  get size(): number {
    return this.xy.length;
  }

  private addNode(p: XY): number {
    this.xy.push(p);
    this.out.push([]);
    this.in.push([]);
    return this.xy.length - 1;
  }

  private addEdge(a: number, b: number, speedKmh: number): void {
    const meters = Math.hypot(this.xy[b][0] - this.xy[a][0], this.xy[b][1] - this.xy[a][1]);
    const seconds = meters / (speedKmh / 3.6);
    this.out[a].push([b, seconds, meters]);
    this.in[b].push([a, seconds, meters]);
  }

  lonLat(id: number): LonLat {
    return unproject(...this.xy[id]);
  }

  private coreCache: Set<number> | null = null;

  /**
   * Nodes that can reach, and be reached from, the Civic Centre: the strongly connected core. Routes
   * between core nodes always exist; outside it, one-way stubs at the data window's edge dead-end.
   */
  core(): Set<number> {
    if (!this.coreCache) {
      const origin = this.nearestNode(114.0596, 22.5427)!;
      const fwd = this.search(origin).seconds;
      const back = this.search(origin, { reverse: true }).seconds;
      this.coreCache = new Set();
      for (let v = 0; v < this.size; v++) if (Number.isFinite(fwd[v]) && Number.isFinite(back[v])) this.coreCache.add(v);
    }
    return this.coreCache;
  }

  /** The nearest node of the strongly connected core to a point. */
  nearestCoreNode(lon: number, lat: number): number {
    const core = this.core();
    const [x, y] = project(lon, lat);
    let best = -1;
    let bestD = Infinity;
    for (const v of core) {
      const d = Math.hypot(this.xy[v][0] - x, this.xy[v][1] - y);
      if (d < bestD) {
        bestD = d;
        best = v;
      }
    }
    return best;
  }

  /** The nearest junction or shape vertex to a point, within maxDistM. */
  nearestNode(lon: number, lat: number, maxDistM = 2000): number | null {
    const [x, y] = project(lon, lat);
    let best: number | null = null;
    let bestD = Infinity;
    for (let r = 50; r <= maxDistM * 2; r *= 2) {
      for (const n of this.index.search({ minX: x - r, minY: y - r, maxX: x + r, maxY: y + r })) {
        const d = Math.hypot(this.xy[n.id][0] - x, this.xy[n.id][1] - y);
        if (d < bestD && d <= maxDistM) {
          bestD = d;
          best = n.id;
        }
      }
      if (best !== null) return best;
    }
    return best;
  }

  /**
   * Dijkstra from `source`. `reverse` searches the reversed graph, giving the time from every node TO
   * the source. Returns seconds per node (Infinity when unreachable) and the predecessor tree.
   */
  search(source: number, opts: { reverse?: boolean; maxSeconds?: number; target?: number } = {}): { seconds: Float64Array; meters: Float64Array; prev: Int32Array } {
    const n = this.size;
    const seconds = new Float64Array(n).fill(Infinity);
    const meters = new Float64Array(n).fill(Infinity);
    const prev = new Int32Array(n).fill(-1);
    const adj = opts.reverse ? this.in : this.out;
    const limit = opts.maxSeconds ?? Infinity;
    const heap = new MinHeap(n);
    seconds[source] = 0;
    meters[source] = 0;
    heap.push(source, 0);
    while (heap.size) {
      const u = heap.pop();
      const du = seconds[u];
      if (du > limit || u === opts.target) break;
      for (const [v, s, m] of adj[u]) {
        const alt = du + s;
        if (alt < seconds[v]) {
          seconds[v] = alt;
          meters[v] = meters[u] + m;
          prev[v] = u;
          heap.push(v, alt);
        }
      }
    }
    return { seconds, meters, prev };
  }

  /** Fastest route from one node to another, or null when there is none. */
  route(from: number, to: number): Route | null {
    const { seconds, meters, prev } = this.search(from, { target: to });
    if (!Number.isFinite(seconds[to])) return null;
    const nodes: number[] = [];
    for (let v = to; v !== -1; v = prev[v]) nodes.push(v);
    nodes.reverse();
    return { seconds: seconds[to], meters: meters[to], nodes, path: nodes.map((id) => this.lonLat(id)) };
  }
}

/** Binary min-heap of node ids keyed by priority; stale entries are skipped by the caller's check. */
class MinHeap {
  private ids: Int32Array;
  private keys: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.ids = new Int32Array(Math.max(16, capacity));
    this.keys = new Float64Array(Math.max(16, capacity));
  }

  push(id: number, key: number): void {
    if (this.size === this.ids.length) {
      const ids = new Int32Array(this.size * 2);
      ids.set(this.ids);
      const keys = new Float64Array(this.size * 2);
      keys.set(this.keys);
      this.ids = ids;
      this.keys = keys;
    }
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p] <= key) break;
      this.ids[i] = this.ids[p];
      this.keys[i] = this.keys[p];
      i = p;
    }
    this.ids[i] = id;
    this.keys[i] = key;
  }

  pop(): number {
    const top = this.ids[0];
    const lastId = this.ids[--this.size];
    const lastKey = this.keys[this.size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.keys[c + 1] < this.keys[c]) c++;
      if (this.keys[c] >= lastKey) break;
      this.ids[i] = this.ids[c];
      this.keys[i] = this.keys[c];
      i = c;
    }
    this.ids[i] = lastId;
    this.keys[i] = lastKey;
    return top;
  }
}
