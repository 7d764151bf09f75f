"use client";
/**
 * The offline city map: maplibre-gl with the local Shenzhen style (map-style.ts) and a deck.gl
 * MapboxOverlay (not interleaved) for the caller's layers plus district and road labels. General
 * on purpose: the big screen, track replay and geofence drawing pass their own layers, view and
 * handlers. Load it through `CityMap` (index.tsx), never on the server.
 */
import { MapboxOverlay } from "@deck.gl/mapbox";
import type { LayersList, PickingInfo } from "@deck.gl/core";
import * as maplibregl from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import { useEffect, useMemo, useRef, useState } from "react";
import { ATTRIBUTION, DISTRICTS_URL, FUTIAN_BOUNDS, MAPLIBRE_WORKER_URL, ROADS_URL, SHENZHEN_BOUNDS, type Bounds } from "./bounds";
import { districtLabels, labelLayers, roadLabels, type MapLabel } from "./label-layers";
import { cityMapStyle, type MapTheme } from "./map-style";

export interface ViewState {
  longitude: number;
  latitude: number;
  zoom: number;
  bearing?: number;
  pitch?: number;
}

export interface CityMapProps {
  /** deck.gl layers drawn over the map (above the labels' roads, below the district names). */
  layers?: LayersList;
  /** Area to show at start and whenever it changes: "futian", "shenzhen", [[w, s], [e, n]] or [w, s, e, n]. Ignored when `view` is set. */
  fit?: "futian" | "shenzhen" | Bounds | [number, number, number, number];
  /** Padding (px) around the fitted area. */
  fitPadding?: number;
  /** Controlled camera; the map jumps to it when it changes. */
  view?: ViewState;
  theme?: MapTheme;
  locale?: "zh-CN" | "en";
  labels?: { districts?: boolean; roads?: boolean };
  /** Multiplies label sizes (2 on a 4K wall). */
  labelScale?: number;
  /** Pan and zoom with pointer/keyboard (off on a kiosk). */
  interactive?: boolean;
  onClick?: (info: PickingInfo) => void;
  getTooltip?: (info: PickingInfo) => string | null;
  /** Called once when the style and sources have loaded. */
  onLoad?: (map: maplibregl.Map) => void;
  className?: string;
  testId?: string;
}

let workerSet = false;

function boundsOf(fit: CityMapProps["fit"]): Bounds {
  if (fit === "shenzhen") return SHENZHEN_BOUNDS;
  if (Array.isArray(fit)) return fit.length === 4 ? [[fit[0], fit[1]], [fit[2], fit[3]]] : fit;
  return FUTIAN_BOUNDS;
}

export default function CityMap({
  layers = [],
  fit = "futian",
  fitPadding = 24,
  view,
  theme = "dark",
  locale = "zh-CN",
  labels = { districts: true, roads: true },
  labelScale = 1,
  interactive = true,
  onClick,
  getTooltip,
  onLoad,
  className,
  testId = "city-map",
}: CityMapProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [labelData, setLabelData] = useState<{ districts: MapLabel[]; roads: MapLabel[] }>({ districts: [], roads: [] });
  const handlers = useRef({ onClick, getTooltip, onLoad });
  handlers.current = { onClick, getTooltip, onLoad };

  // Map and overlay: created once per theme.
  useEffect(() => {
    if (!container.current) return;
    if (!workerSet) {
      maplibregl.setWorkerUrl(MAPLIBRE_WORKER_URL);
      workerSet = true;
    }
    const b = boundsOf(fit);
    const map = new maplibregl.Map({
      container: container.current,
      style: cityMapStyle(window.location.origin, theme),
      bounds: b,
      fitBoundsOptions: { padding: fitPadding },
      attributionControl: false,
      interactive,
      maxBounds: [[SHENZHEN_BOUNDS[0][0] - 0.3, SHENZHEN_BOUNDS[0][1] - 0.2], [SHENZHEN_BOUNDS[1][0] + 0.3, SHENZHEN_BOUNDS[1][1] + 0.2]],
      minZoom: 8,
      maxZoom: 18,
      dragRotate: false,
      pitchWithRotate: false,
      canvasContextAttributes: { preserveDrawingBuffer: true },
    });
    map.addControl(new maplibregl.AttributionControl({ compact: false, customAttribution: ATTRIBUTION }), "bottom-right");
    const overlay = new MapboxOverlay({
      interleaved: false,
      layers: [],
      useDevicePixels: true,
      onClick: (info) => handlers.current.onClick?.(info),
      getTooltip: (info) => handlers.current.getTooltip?.(info) ?? null,
      // Keeps the canvas readable for screenshots and pixel checks.
      deviceProps: { type: "webgl", webgl: { preserveDrawingBuffer: true } },
    } as ConstructorParameters<typeof MapboxOverlay>[0]);
    map.addControl(overlay as unknown as maplibregl.IControl);
    map.once("load", () => {
      setLoaded(true);
      handlers.current.onLoad?.(map);
    });
    mapRef.current = map;
    overlayRef.current = overlay;
    return () => {
      overlayRef.current = null;
      mapRef.current = null;
      setLoaded(false);
      map.remove();
    };
    // The map is rebuilt only for a new theme; fit, view and interactivity are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [theme]);

  // Label sources: the same local GeoJSON files the style draws.
  useEffect(() => {
    let cancelled = false;
    Promise.all([fetch(DISTRICTS_URL).then((r) => r.json()), fetch(ROADS_URL).then((r) => r.json())])
      .then(([d, r]) => {
        if (!cancelled) setLabelData({ districts: districtLabels(d, locale), roads: roadLabels(r) });
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [locale]);

  const fitKey = JSON.stringify(boundsOf(fit));
  useEffect(() => {
    const map = mapRef.current;
    if (!map || view) return;
    map.fitBounds(boundsOf(fit), { padding: fitPadding, animate: false });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fitKey, fitPadding, view === undefined]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !view) return;
    map.jumpTo({ center: [view.longitude, view.latitude], zoom: view.zoom, bearing: view.bearing ?? 0, pitch: view.pitch ?? 0 });
  }, [view?.longitude, view?.latitude, view?.zoom, view?.bearing, view?.pitch]); // eslint-disable-line react-hooks/exhaustive-deps

  const labelList = useMemo(
    () => [...(labels.districts !== false ? labelData.districts : []), ...(labels.roads !== false ? labelData.roads : [])],
    [labelData, labels.districts, labels.roads],
  );
  const textLayers = useMemo(() => labelLayers(labelList, { scale: labelScale, theme }), [labelList, labelScale, theme]);

  useEffect(() => {
    // Road labels under the caller's layers, district names on top.
    overlayRef.current?.setProps({ layers: [textLayers[0], ...layers, textLayers[1]] });
  }, [layers, textLayers, loaded]);

  return <div ref={container} className={className} data-testid={testId} data-loaded={loaded ? "true" : "false"} style={{ position: "relative", width: "100%", height: "100%" }} />;
}
