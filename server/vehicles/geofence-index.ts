/**
 * Spatial index over compiled geofences (an R-tree), so evaluating a ping looks only at the fences
 * whose bounding box holds the point (or the move since the last ping), never at every fence.
 */
import RBush from "rbush";
import type { XY } from "../geo/geometry";
import { compileGeofence, type CompiledGeofence, type GeofenceDef } from "./geofence";

export class GeofenceIndex {
  private readonly tree = new RBush<CompiledGeofence>();
  private readonly byId = new Map<string, CompiledGeofence>();

  get size(): number {
    return this.byId.size;
  }

  /** Adds or replaces a fence. */
  upsert(def: GeofenceDef): CompiledGeofence {
    this.remove(def.id);
    const c = compileGeofence(def);
    this.tree.insert(c);
    this.byId.set(def.id, c);
    return c;
  }

  remove(id: string): void {
    const old = this.byId.get(id);
    if (!old) return;
    this.tree.remove(old);
    this.byId.delete(id);
  }

  get(id: string): CompiledGeofence | undefined {
    return this.byId.get(id);
  }

  /** Fences containing p. */
  at(p: XY): CompiledGeofence[] {
    return this.tree.search({ minX: p[0], minY: p[1], maxX: p[0], maxY: p[1] }).filter((f) => f.contains(p));
  }

  /** Fences the straight move a→b passes through (including those containing either end). */
  along(a: XY, b: XY): CompiledGeofence[] {
    const box = { minX: Math.min(a[0], b[0]), minY: Math.min(a[1], b[1]), maxX: Math.max(a[0], b[0]), maxY: Math.max(a[1], b[1]) };
    return this.tree.search(box).filter((f) => f.touchesSegment(a, b));
  }

  /** How many fences a query at p had to test precisely (for the "no full scan" guarantee). */
  candidatesAt(p: XY): number {
    return this.tree.search({ minX: p[0], minY: p[1], maxX: p[0], maxY: p[1] }).length;
  }
}
