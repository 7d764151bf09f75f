/** Areas the city map fits to, as [[west, south], [east, north]] (WGS-84). */
export type Bounds = [[number, number], [number, number]];

/** Central Futian: the road network the fleet drives on. */
export const FUTIAN_BOUNDS: Bounds = [[114.005, 22.515], [114.105, 22.575]];
/** All ten districts. */
export const SHENZHEN_BOUNDS: Bounds = [[113.75, 22.44], [114.63, 22.87]];

export const DISTRICTS_URL = "/geo/shenzhen_districts.geojson";
export const ROADS_URL = "/geo/shenzhen_roads_major.geojson";
export const MAPLIBRE_WORKER_URL = "/vendor/maplibre-gl-worker.mjs";

export const ATTRIBUTION = ["© OpenStreetMap contributors (ODbL)", "行政区划 transbigdata (BSD-3-Clause)"];
