/** Vehicle classes as the big screen shows them: order (= the class index on the wire) and colours. */
import { VEHICLE_CLASSES, type VehicleClass } from "../../chain/contracts/geofence-schema";

export { VEHICLE_CLASSES, type VehicleClass };

/** RGB per class index, readable on the dark map. */
export const VEHICLE_CLASS_COLORS: readonly (readonly [number, number, number])[] = VEHICLE_CLASSES.map(
  (c) =>
    ({
      ride_hailing: [64, 196, 255],
      taxi: [255, 214, 0],
      hazmat: [255, 82, 82],
      bus: [105, 240, 174],
      ambulance: [255, 255, 255],
      fire: [255, 145, 0],
      police: [124, 77, 255],
    })[c] as [number, number, number],
);

export const classColorCss = (i: number): string => {
  const [r, g, b] = VEHICLE_CLASS_COLORS[i] ?? [200, 200, 200];
  return `rgb(${r},${g},${b})`;
};
