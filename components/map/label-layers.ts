/**
 * District and road names as deck.gl TextLayers: the font atlas is drawn in the browser from the
 * page's own fonts (characterSet built from the names), so labels need no glyph downloads.
 */
import { TextLayer } from "@deck.gl/layers";

export interface MapLabel {
  text: string;
  position: [number, number];
  kind: "district" | "road";
}

type Feature<G> = { properties: Record<string, unknown>; geometry: G };

/** One label per district, at its centroid property. */
export function districtLabels(fc: { features: Feature<unknown>[] }, locale: "zh-CN" | "en"): MapLabel[] {
  return fc.features.map((f) => ({
    text: String(locale === "en" ? f.properties.name_en : f.properties.name),
    position: f.properties.centroid as [number, number],
    kind: "district" as const,
  }));
}

/** One label per named road: the midpoint of its longest piece. */
export function roadLabels(fc: { features: Feature<{ type: string; coordinates: number[][] }>[] }): MapLabel[] {
  const best = new Map<string, { len: number; mid: [number, number] }>();
  for (const f of fc.features) {
    const name = f.properties.name;
    if (typeof name !== "string" || !name || f.geometry.type !== "LineString") continue;
    const cs = f.geometry.coordinates;
    let len = 0;
    for (let i = 1; i < cs.length; i++) len += Math.hypot(cs[i][0] - cs[i - 1][0], cs[i][1] - cs[i - 1][1]);
    if ((best.get(name)?.len ?? 0) >= len) continue;
    // Walk to half the length.
    let acc = 0;
    let mid: [number, number] = [cs[0][0], cs[0][1]];
    for (let i = 1; i < cs.length; i++) {
      const d = Math.hypot(cs[i][0] - cs[i - 1][0], cs[i][1] - cs[i - 1][1]);
      if (acc + d >= len / 2) {
        const t = d ? (len / 2 - acc) / d : 0;
        mid = [cs[i - 1][0] + t * (cs[i][0] - cs[i - 1][0]), cs[i - 1][1] + t * (cs[i][1] - cs[i - 1][1])];
        break;
      }
      acc += d;
    }
    best.set(name, { len, mid });
  }
  // Short stubs would clutter the map.
  return [...best].filter(([, v]) => v.len > 0.004).map(([text, v]) => ({ text, position: v.mid, kind: "road" as const }));
}

const FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Source Han Sans SC", sans-serif';

export function labelLayers(labels: MapLabel[], opts: { scale?: number; theme?: "dark" | "light" } = {}): TextLayer<MapLabel>[] {
  const s = opts.scale ?? 1;
  const dark = (opts.theme ?? "dark") === "dark";
  const characterSet = [...new Set(labels.flatMap((l) => [...l.text]))];
  const common = { fontFamily: FONT, characterSet, billboard: true, pickable: false, outlineWidth: 3, fontSettings: { sdf: true, fontSize: 48, buffer: 6 } };
  return [
    new TextLayer<MapLabel>({
      ...common,
      id: "labels-roads",
      data: labels.filter((l) => l.kind === "road"),
      getText: (l) => l.text,
      getPosition: (l) => l.position,
      getSize: 11 * s,
      getColor: dark ? [150, 180, 215, 200] : [70, 80, 95, 230],
      outlineColor: dark ? [5, 13, 26, 255] : [255, 255, 255, 255],
    }),
    new TextLayer<MapLabel>({
      ...common,
      id: "labels-districts",
      data: labels.filter((l) => l.kind === "district"),
      getText: (l) => l.text,
      getPosition: (l) => l.position,
      getSize: 16 * s,
      fontWeight: 600,
      getColor: dark ? [205, 225, 250, 235] : [30, 45, 70, 255],
      outlineColor: dark ? [5, 13, 26, 255] : [255, 255, 255, 255],
    }),
  ];
}
