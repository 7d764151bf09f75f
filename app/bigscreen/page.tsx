/**
 * 指挥大屏: /bigscreen (responsive: desktop, tablet, phone), /bigscreen?layout=1080 (1920×1080 wall)
 * and /bigscreen?layout=4k (3840×2160 wall); &layers=heat,vehicles,fences,alarms,units picks the map layers
 * (default all; units for viewers allowed to see dispatch). Signed-in users whose role allows it (BIGSCREEN).
 */
import type { Metadata } from "next";
import { BigScreen, type BigscreenLayout } from "@/components/bigscreen/big-screen";
import { MAP_LAYERS, type MapLayerName } from "@/components/bigscreen/map-layer-names";
import { allows, BIGSCREEN, DISPATCH_VIEW, EXPLORER } from "@/lib/access";
import { requireAccess } from "@/server/auth/current-user";
import "./bigscreen.css";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "指挥大屏 Command big screen" };

const LAYOUTS: Record<string, BigscreenLayout> = { "1080": "1080", "1080p": "1080", "4k": "4k", "2160": "4k" };

export default async function BigscreenPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const raw = typeof sp.layout === "string" ? sp.layout.toLowerCase() : "";
  const layout = LAYOUTS[raw] ?? "responsive";
  const user = await requireAccess(BIGSCREEN, raw ? `/bigscreen?layout=${encodeURIComponent(raw)}` : "/bigscreen");
  const layers = typeof sp.layers === "string" ? (sp.layers.split(",").filter((l) => (MAP_LAYERS as readonly string[]).includes(l)) as MapLayerName[]) : [...MAP_LAYERS];
  return <BigScreen layout={layout} canExplore={allows(EXPLORER, user)} canSeeUnits={allows(DISPATCH_VIEW, user)} mapLayers={layers} />;
}
