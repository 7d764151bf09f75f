/** The ledger's enumerations, declared once: contracts validate with them, the server and the pages list them. */

export const VEHICLE_CLASSES = ["ride_hailing", "taxi", "hazmat", "bus", "ambulance", "fire", "police"] as const;
export type VehicleClass = (typeof VEHICLE_CLASSES)[number];

export const COMPANY_KINDS = ["ride_hailing_platform", "taxi", "logistics", "bus", "public_service"] as const;
export const COMPANY_STATUSES = ["active", "suspended", "revoked"] as const;

/** A road transport or professional licence's status (expiry is a date beside it). */
export const LICENCE_STATUSES = ["valid", "suspended", "revoked", "expired"] as const;

/** UN hazard classes of dangerous goods. */
export const CARGO_CLASSES = ["1", "2", "3", "4", "5", "6", "7", "8", "9"] as const;

export const GEOFENCE_KINDS = ["key_area", "danger_zone", "hazmat_corridor", "restricted"] as const;

export const ALARM_TYPES = ["enter", "exit", "crossing", "overspeed", "route_deviation", "restricted", "long_stop", "offline", "unlicensed", "unlicensed_trip", "pair_mismatch", "odometer_rollback", "odometer_divergence", "identity_anomaly"] as const;
export type AlarmType = (typeof ALARM_TYPES)[number];
export const ALARM_SEVERITIES = ["info", "warning", "critical"] as const;
export const ALARM_STATES = ["open", "acknowledged", "assigned", "escalated", "closed"] as const;
export const ALARM_ACTIONS = ["acknowledge", "assign", "escalate", "close"] as const;

export const CARD_STATUSES = ["valid", "expired", "reported_lost", "reported_stolen", "revoked"] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

export const BUREAUS = ["traffic_police", "transport", "public_security", "emergency", "fire", "health", "environment"] as const;
export type Bureau = (typeof BUREAUS)[number];
export const DEPT_KINDS = ["city", "district", "bureau"] as const;

export const UNIT_KINDS = ["ambulance", "fire_engine", "police_car", "tow_truck", "hazmat_team"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const INCIDENT_SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/** The follow-up steps of an ID-verification anomaly. */
export const ID_ALERT_ACTIONS = ["acknowledge", "assign", "confirm", "dismiss"] as const;

/** An access request's (or grant's) status. */
export const ACCESS_STATUSES = ["pending", "active", "denied", "revoked", "withdrawn"] as const;

/** A department's or user account's status. */
export const ACCOUNT_STATUSES = ["active", "disabled"] as const;

/** An owner's answer to an access request. */
export const ACCESS_DECISIONS = ["approve", "deny"] as const;
