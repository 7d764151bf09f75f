/** The big screen's map layers that can be switched (URL ?layers=heat,vehicles,fences,alarms,units; units only for viewers allowed to see dispatch). */
export type MapLayerName = "heat" | "vehicles" | "fences" | "alarms" | "units";
export const MAP_LAYERS: readonly MapLayerName[] = ["heat", "vehicles", "fences", "alarms", "units"];
