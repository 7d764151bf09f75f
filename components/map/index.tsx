"use client";
/** The city map, loaded in the browser only (maplibre and deck.gl need a DOM and WebGL). */
import dynamic from "next/dynamic";

export const CityMap = dynamic(() => import("./city-map"), { ssr: false, loading: () => <div className="map-loading" /> });
export type { CityMapProps, ViewState } from "./city-map";
export { FUTIAN_BOUNDS, SHENZHEN_BOUNDS, type Bounds } from "./bounds";
