/**
 * The city map's maplibre style: only local GeoJSON sources (district outlines, major roads), no
 * tiles, glyphs or sprites, so nothing is fetched from outside the app. Labels are drawn by
 * deck.gl (label-layers.ts), not by symbol layers that would need glyphs.
 */
import type { StyleSpecification } from "maplibre-gl";
import { DISTRICTS_URL, ROADS_URL } from "./bounds";

export type MapTheme = "dark" | "light";

const PALETTE = {
  dark: { bg: "#050d1a", land: "#0b1a2e", landAlt: "#0e2038", border: "#2f6db5", borderGlow: "#123a66", motorway: "#3d8bd9", trunk: "#2e6fae", primary: "#24598d", secondary: "#1b4670", link: "#173c60" },
  light: { bg: "#dfe7f0", land: "#f4f6f9", landAlt: "#eef2f7", border: "#7a93b3", borderGlow: "#c7d4e4", motorway: "#e8a33c", trunk: "#f2c35a", primary: "#ffffff", secondary: "#ffffff", link: "#ffffff" },
} as const;

/** Road width (px) by zoom for a highway class: [z10, z13, z16]. */
const WIDTH: Record<string, [number, number, number]> = {
  motorway: [1.2, 3, 9],
  trunk: [1, 2.6, 8],
  primary: [0.8, 2, 6.5],
  secondary: [0.5, 1.4, 5],
};

export function cityMapStyle(origin: string, theme: MapTheme = "dark"): StyleSpecification {
  const c = PALETTE[theme];
  const road = (cls: keyof typeof WIDTH, color: string) => ({
    id: `road-${cls}`,
    type: "line" as const,
    source: "roads",
    filter: ["in", ["get", "highway"], ["literal", [cls, `${cls}_link`]]] as never,
    layout: { "line-cap": "round" as const, "line-join": "round" as const },
    paint: {
      "line-color": color,
      "line-width": ["interpolate", ["exponential", 1.6], ["zoom"], 10, WIDTH[cls][0], 13, WIDTH[cls][1], 16, WIDTH[cls][2]] as never,
    },
  });
  return {
    version: 8,
    name: `CityLedger Shenzhen (${theme})`,
    sources: {
      districts: { type: "geojson", data: new URL(DISTRICTS_URL, origin).href },
      roads: { type: "geojson", data: new URL(ROADS_URL, origin).href },
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": c.bg } },
      {
        id: "district-fill",
        type: "fill",
        source: "districts",
        paint: { "fill-color": ["case", ["==", ["get", "name"], "福田区"], c.landAlt, c.land], "fill-opacity": 1 },
      },
      { id: "district-glow", type: "line", source: "districts", paint: { "line-color": c.borderGlow, "line-width": 6, "line-blur": 4 } },
      { id: "district-border", type: "line", source: "districts", paint: { "line-color": c.border, "line-width": 1.3, "line-dasharray": [3, 1.5] } },
      road("secondary", c.secondary),
      road("primary", c.primary),
      road("trunk", c.trunk),
      road("motorway", c.motorway),
    ],
  };
}
