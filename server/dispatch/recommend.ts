/**
 * Nearest suitable unit by road travel time. One Dijkstra on the reversed road graph from the
 * incident gives every node's travel time TO the incident (speed by road class, one-way streets
 * respected); each unit's ETA is then a lookup at its snapped node plus the short off-network legs
 * (unit to its node, incident node to the incident) at a slow access speed.
 */
import type { Capability, UnitStatus } from "../../chain/contracts/dispatch";
import RBush from "rbush";
import { haversine, project, type LonLat } from "../geo/geometry";
import type { RoadGraph } from "../geo/road-graph";

/** Speed (km/h) for the leg between a point and its snapped road node: yards, side streets, car parks. */
export const ACCESS_KMH = 15;

export interface Located {
  id: string;
  lon: number;
  lat: number;
}

export interface Eta {
  /** Door-to-door travel time (s), access legs included. */
  seconds: number;
  /** Road distance (m), access legs included. */
  meters: number;
  /** Straight-line distance (m), for comparison. */
  straightM: number;
}

export interface UnitCandidate extends Located {
  status: UnitStatus;
  capabilities: readonly string[];
}

export interface Recommendation<U extends UnitCandidate> extends Eta {
  unit: U;
}

interface NodeBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  id: number;
}
const coreIndexes = new WeakMap<RoadGraph, RBush<NodeBox>>();

/** An R-tree of the graph's strongly connected core (built once per graph). */
function coreIndex(graph: RoadGraph): RBush<NodeBox> {
  let tree = coreIndexes.get(graph);
  if (!tree) {
    tree = new RBush<NodeBox>();
    tree.load([...graph.core()].map((id) => ({ minX: graph.xy[id][0], minY: graph.xy[id][1], maxX: graph.xy[id][0], maxY: graph.xy[id][1], id })));
    coreIndexes.set(graph, tree);
  }
  return tree;
}

/**
 * The node a point enters the network at: the nearest node of the strongly connected core (so a
 * route exists both ways; stubs at the data window's edge are skipped). Requires a non-empty core.
 */
export function snap(graph: RoadGraph, lon: number, lat: number): number {
  const tree = coreIndex(graph);
  const [x, y] = project(lon, lat);
  for (let r = 50; ; r *= 2) {
    let best = -1;
    let bestD = Infinity;
    for (const n of tree.search({ minX: x - r, minY: y - r, maxX: x + r, maxY: y + r })) {
      const d = Math.hypot(n.minX - x, n.minY - y);
      if (d < bestD) {
        bestD = d;
        best = n.id;
      }
    }
    // A hit within the box may still be farther than an unseen one just outside its corner: accept only within r.
    if (best >= 0 && bestD <= r) return best;
    if (r > 1e6) return graph.nearestCoreNode(lon, lat);
  }
}

const accessS = (m: number) => m / (ACCESS_KMH / 3.6);

/** Travel time from each origin to `target` by road, in one search. Requires a non-empty graph. */
export function etasTo(graph: RoadGraph, target: LonLat, origins: readonly Located[]): Map<string, Eta | null> {
  const goal = snap(graph, ...target);
  const goalAccess = haversine(graph.lonLat(goal), target);
  const { seconds, meters } = graph.search(goal, { reverse: true });
  const out = new Map<string, Eta | null>();
  for (const o of origins) {
    const from = snap(graph, o.lon, o.lat);
    const straightM = haversine([o.lon, o.lat], target);
    if (!Number.isFinite(seconds[from])) {
      out.set(o.id, null);
      continue;
    }
    const fromAccess = haversine([o.lon, o.lat], graph.lonLat(from));
    out.set(o.id, { seconds: seconds[from] + accessS(fromAccess) + accessS(goalAccess), meters: meters[from] + fromAccess + goalAccess, straightM });
  }
  return out;
}

/**
 * The available units with the capability, fastest first (ties by id). Busy units (dispatched, en
 * route, on scene, transporting, returning), units out of service and units without the capability
 * are never recommended; nor is a unit that cannot reach the incident by road.
 */
export function recommend<U extends UnitCandidate>(graph: RoadGraph, incident: LonLat, units: readonly U[], capability: Capability, limit = 5): Recommendation<U>[] {
  const suitable = units.filter((u) => u.status === "available" && u.capabilities.includes(capability));
  const etas = etasTo(graph, incident, suitable);
  const ranked: Recommendation<U>[] = [];
  for (const u of suitable) {
    const eta = etas.get(u.id);
    if (eta) ranked.push({ unit: u, ...eta });
  }
  ranked.sort((a, b) => a.seconds - b.seconds || (a.unit.id < b.unit.id ? -1 : 1));
  return ranked.slice(0, limit);
}

/** The fastest road route from one point to another (the unit's navigation line), or null. */
export function routeBetween(graph: RoadGraph, from: LonLat, to: LonLat): { path: LonLat[]; seconds: number; meters: number } | null {
  const a = snap(graph, ...from);
  const b = snap(graph, ...to);
  const r = graph.route(a, b);
  if (!r) return null;
  const fromAccess = haversine(from, graph.lonLat(a));
  const toAccess = haversine(graph.lonLat(b), to);
  return { path: [from, ...r.path, to], seconds: r.seconds + accessS(fromAccess) + accessS(toAccess), meters: r.meters + fromAccess + toAccess };
}
