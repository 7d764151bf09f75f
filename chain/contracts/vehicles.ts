/**
 * Vehicle supervision contracts, one module per aggregate: companies, vehicles, drivers, geofences,
 * hazmat permits, telemetry and mileage, alarms, ride-hailing trips. Authority follows the competent
 * bureau: the transport bureau licenses companies, ride-hailing and taxis; the traffic police define
 * geofences, approve hazmat permits and handle alarms.
 */
import { alarmAct, alarmRaise } from "./alarm.js";
import { companyRegister, companyUpdate } from "./company.js";
import { driverRegister, driverUpdate } from "./driver.js";
import { geofenceDefine, geofenceRetire } from "./geofence.js";
import { hazmatPermit, hazmatPermitAmend, hazmatPermitRevoke } from "./permit.js";
import { ridehailTrip } from "./ridehail.js";
import { mileageRecord, telemetryAnchor } from "./telemetry.js";
import { vehicleRegister, vehicleUpdate } from "./vehicle.js";

export type { AlarmRecord } from "./alarm.js";
export { DRIVERS_DATASET } from "./driver.js";
export { geofenceOwner } from "./geofence.js";
export { MILEAGE_DIVERGENCE, MILEAGE_MIN_GPS_KM, type MileageRecord } from "./telemetry.js";
export { licenceInForce } from "./vehicle-common.js";
export { PLATE } from "./ids.js";

export const vehicleContracts = [
  companyRegister,
  companyUpdate,
  vehicleRegister,
  vehicleUpdate,
  driverRegister,
  driverUpdate,
  geofenceDefine,
  geofenceRetire,
  hazmatPermit,
  hazmatPermitAmend,
  hazmatPermitRevoke,
  telemetryAnchor,
  mileageRecord,
  alarmRaise,
  alarmAct,
  ridehailTrip,
];
