/** The big screen's map layers that can be switched (URL ?layers=heat,vehicles,fences,alarms). */
export type MapLayerName = "heat" | "vehicles" | "fences" | "alarms";
export const MAP_LAYERS: readonly MapLayerName[] = ["heat", "vehicles", "fences", "alarms"];
