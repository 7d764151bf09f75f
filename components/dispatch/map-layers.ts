/** deck.gl layers of the dispatch maps: units by status, incidents (overdue in red), the picked point, routes. */
import { PathLayer, ScatterplotLayer } from "@deck.gl/layers";

export type RGBA = [number, number, number, number];

export const UNIT_STATUS_COLOR: Record<string, RGBA> = {
  available: [34, 160, 90, 235],
  dispatched: [240, 150, 20, 245],
  en_route: [240, 110, 20, 245],
  on_scene: [200, 40, 40, 245],
  transporting: [150, 60, 200, 245],
  returning: [40, 120, 210, 235],
  out_of_service: [140, 140, 140, 200],
};

export interface MapUnit {
  id: string;
  lon: number;
  lat: number;
  status: string;
  name: string;
}
export interface MapIncident {
  id: string;
  lon: number;
  lat: number;
  overdue: boolean;
  status: string;
}

export function dispatchLayers(opts: { units: MapUnit[]; incidents: MapIncident[]; selected?: string | null; picked?: [number, number] | null; routes?: { id: string; path: [number, number][] }[] }) {
  return [
    new PathLayer({
      id: "dispatch-routes",
      data: opts.routes ?? [],
      getPath: (d: { path: [number, number][] }) => d.path,
      getColor: [24, 100, 200, 230],
      getWidth: 5,
      widthUnits: "pixels",
      capRounded: true,
      jointRounded: true,
    }),
    new ScatterplotLayer({
      id: "dispatch-units",
      data: opts.units,
      getPosition: (u: MapUnit) => [u.lon, u.lat],
      getFillColor: (u: MapUnit) => UNIT_STATUS_COLOR[u.status] ?? [100, 100, 100, 200],
      getRadius: 7,
      radiusUnits: "pixels",
      stroked: true,
      getLineColor: [255, 255, 255, 255],
      lineWidthMinPixels: 1.5,
      pickable: true,
      updateTriggers: { getFillColor: opts.units.map((u) => u.status).join() },
    }),
    new ScatterplotLayer({
      id: "dispatch-incidents",
      data: opts.incidents,
      getPosition: (i: MapIncident) => [i.lon, i.lat],
      getFillColor: (i: MapIncident) => (i.overdue ? [220, 30, 30, 255] : [255, 190, 0, 255]),
      getRadius: (i: MapIncident) => (i.id === opts.selected ? 13 : 10),
      radiusUnits: "pixels",
      stroked: true,
      getLineColor: [20, 20, 20, 255],
      lineWidthMinPixels: 2,
      pickable: true,
      updateTriggers: { getRadius: opts.selected, getFillColor: opts.incidents.map((i) => i.overdue).join() },
    }),
    new ScatterplotLayer({
      id: "dispatch-picked",
      data: opts.picked ? [opts.picked] : [],
      getPosition: (p: [number, number]) => p,
      getFillColor: [24, 100, 200, 255],
      getRadius: 9,
      radiusUnits: "pixels",
      stroked: true,
      getLineColor: [255, 255, 255, 255],
      lineWidthMinPixels: 3,
    }),
  ];
}
