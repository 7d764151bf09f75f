/**
 * The registries officials keep themselves (onboarding): for each, its CSV columns (the same for
 * the form, import and export), the actions on a record, and who may see and write it. Shared by
 * the server (which parses and authorises) and the pages (which lay out forms and tables).
 */
import { CARD_STATUSES, CARGO_CLASSES, COMPANY_KINDS, LICENCE_STATUSES, UNIT_KINDS, VEHICLE_CLASSES } from "../chain/contracts/enums";
import { IDCHECK_REVIEW, REGISTRY_PEOPLE, REGISTRY_UNITS, SUPERVISION_DEFINE, SUPERVISION_VIEW, SUPERVISION_WORK, REGISTRY_UNITS_VIEW, type Access } from "./access";

export const REGISTRY_KINDS = ["companies", "vehicles", "drivers", "permits", "units", "people"] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

export interface Column {
  id: string;
  zh: string;
  en: string;
  required?: boolean;
  /** Allowed values (an enum), shown as a select in the form. */
  options?: readonly string[];
  /** Example or format, shown as the field's placeholder. */
  hint?: string;
  /** Personal data: sealed on the ledger, never exported or listed. */
  sealed?: boolean;
}

export interface RegistryAction {
  id: string;
  zh: string;
  en: string;
  /** Columns the action asks for (besides the reason). */
  fields: readonly Column[];
  /** Whether a reason is asked for (and recorded). */
  reason: boolean;
}

export interface RegistryDef {
  kind: RegistryKind;
  zh: string;
  en: string;
  /** The column that names a record. */
  key: string;
  columns: readonly Column[];
  /** Extra columns of the list and the export (state the registry keeps, not typed in). */
  listColumns: readonly Column[];
  actions: readonly RegistryAction[];
  view: Access;
  write: Access;
  /** Where a record lives on the ledger (the explorer shows its history and reveals its sensitive fields). */
  ledger: { ns: string; prefix: string };
}

/** What a list or an export shows in place of a sensitive field: read one record at a time, by a logged reveal. */
export const MASKED = "•••";

const c = (id: string, zh: string, en: string, extra: Partial<Column> = {}): Column => ({ id, zh, en, ...extra });
const status = c("status", "状态", "Status");
const registered = c("registered_dept", "登记部门", "Registered by");
const licenceStatus = c("licence_status", "证照状态", "Licence status", { options: LICENCE_STATUSES, hint: "valid" });
const licenceExpires = c("licence_expires", "证照有效期至", "Licence expires", { hint: "2028-12-31" });

export const REGISTRIES: Record<RegistryKind, RegistryDef> = {
  companies: {
    kind: "companies",
    zh: "运输企业",
    en: "Transport companies",
    key: "id",
    columns: [
      c("id", "企业编号", "Company id", { required: true, hint: "sz-taxi-01" }),
      c("name", "企业名称", "Name", { required: true, hint: "深圳市某出租汽车有限公司" }),
      c("kind", "企业类型", "Kind", { required: true, options: COMPANY_KINDS }),
      c("ingest_key", "接入公钥 (ed25519)", "Ingest key (ed25519)", { required: true, hint: "64 hex digits" }),
    ],
    listColumns: [status, registered],
    actions: [
      { id: "suspend", zh: "暂停", en: "Suspend", fields: [], reason: true },
      { id: "reinstate", zh: "恢复", en: "Reinstate", fields: [], reason: true },
      { id: "revoke", zh: "吊销", en: "Revoke", fields: [], reason: true },
      { id: "rotate_key", zh: "更换公钥", en: "Rotate key", fields: [c("ingest_key", "新接入公钥", "New ingest key", { required: true, hint: "64 hex digits" })], reason: true },
    ],
    view: SUPERVISION_VIEW,
    write: SUPERVISION_WORK,
    ledger: { ns: "company", prefix: "" },
  },
  vehicles: {
    kind: "vehicles",
    zh: "车辆与终端",
    en: "Vehicles & terminals",
    key: "plate",
    columns: [
      c("plate", "车牌", "Plate", { required: true, hint: "粤B12345" }),
      c("cls", "车辆类别", "Class", { required: true, options: VEHICLE_CLASSES }),
      c("company", "所属企业", "Company", { required: true, hint: "sz-taxi-01" }),
      c("terminal", "车载终端号", "Terminal id", { required: true, hint: "T-000123" }),
      c("licence_no", "道路运输证号", "Licence no.", { required: true, hint: "粤交运440300123456" }),
      licenceStatus,
      licenceExpires,
      c("vin", "车架号", "VIN", { hint: "17 characters" }),
      c("odometer_km", "登记里程 (km)", "Odometer (km)", { hint: "12000" }),
    ],
    listColumns: [registered],
    actions: [
      { id: "licence", zh: "证照状态", en: "Licence", fields: [{ ...licenceStatus, required: true }, licenceExpires], reason: true },
    ],
    view: SUPERVISION_VIEW,
    write: SUPERVISION_WORK,
    ledger: { ns: "vehicle", prefix: "" },
  },
  drivers: {
    kind: "drivers",
    zh: "营运驾驶员",
    en: "Drivers",
    key: "id",
    columns: [
      c("id", "驾驶员编号", "Driver id", { required: true, hint: "drv-0001" }),
      c("name", "姓名", "Name", { required: true, sealed: true }),
      c("company", "所属企业", "Company", { required: true }),
      c("licence_no", "从业资格证号", "Licence no.", { required: true, sealed: true }),
      licenceStatus,
      licenceExpires,
      c("vehicles", "绑定车辆", "Vehicles", { hint: "粤B12345;粤B12346" }),
    ],
    listColumns: [registered],
    actions: [
      { id: "licence", zh: "资格状态", en: "Licence", fields: [{ ...licenceStatus, required: true }, licenceExpires], reason: true },
      { id: "vehicles", zh: "绑定车辆", en: "Vehicles", fields: [c("vehicles", "绑定车辆", "Vehicles", { hint: "粤B12345;粤B12346" })], reason: true },
    ],
    view: SUPERVISION_VIEW,
    write: SUPERVISION_WORK,
    ledger: { ns: "driver", prefix: "" },
  },
  permits: {
    kind: "permits",
    zh: "危化品运输许可",
    en: "Hazmat permits",
    key: "id",
    columns: [
      c("id", "许可编号", "Permit id", { required: true, hint: "hp-2026-0001" }),
      c("plate", "车牌", "Plate", { required: true }),
      c("cargo_class", "危险货物类别", "Cargo class (UN)", { required: true, options: CARGO_CLASSES }),
      c("cargo", "货物", "Cargo", { required: true, hint: "汽油" }),
      c("corridor", "通行走廊", "Corridor", { required: true, hint: "geofence id" }),
      c("from", "起始时间", "From", { required: true, hint: "2026-12-08 06:00" }),
      c("to", "截止时间", "To", { required: true, hint: "2026-12-08 18:00" }),
    ],
    listColumns: [status, c("approved_dept", "审批部门", "Issued by")],
    actions: [
      {
        id: "amend",
        zh: "变更",
        en: "Amend",
        fields: [c("corridor", "通行走廊", "Corridor"), c("from", "起始时间", "From", { hint: "2026-12-08 06:00" }), c("to", "截止时间", "To", { hint: "2026-12-08 18:00" }), c("cargo", "货物", "Cargo")],
        reason: true,
      },
      { id: "revoke", zh: "撤销", en: "Revoke", fields: [], reason: true },
    ],
    view: SUPERVISION_VIEW,
    write: SUPERVISION_DEFINE,
    ledger: { ns: "permit", prefix: "" },
  },
  units: {
    kind: "units",
    zh: "应急单元",
    en: "Response units",
    key: "id",
    columns: [
      c("id", "单元编号", "Unit id", { required: true, hint: "fire-ft-01" }),
      c("name", "名称", "Name", { required: true, hint: "福田消防一号车" }),
      c("kind", "类型", "Kind", { required: true, options: UNIT_KINDS }),
      c("station_name", "驻点", "Station", { required: true }),
      c("lon", "经度", "Longitude", { required: true, hint: "114.05" }),
      c("lat", "纬度", "Latitude", { required: true, hint: "22.54" }),
      c("capabilities", "能力", "Capabilities", { required: true, hint: "fire;rescue" }),
      c("plate", "车牌", "Plate"),
      c("crew", "乘员", "Crew", { hint: "user ids: a.b;c.d" }),
    ],
    listColumns: [status, c("dept", "所属部门", "Department")],
    actions: [{ id: "crew", zh: "乘员", en: "Crew", fields: [c("crew", "乘员", "Crew", { hint: "user ids: a.b;c.d" })], reason: false }],
    view: REGISTRY_UNITS_VIEW,
    write: REGISTRY_UNITS,
    ledger: { ns: "unit", prefix: "" },
  },
  people: {
    kind: "people",
    zh: "人口身份信息",
    en: "Identity registry",
    key: "key",
    columns: [
      c("key", "人员编号", "Person key", { required: true, hint: "p-00001" }),
      c("name", "姓名", "Name", { required: true, sealed: true }),
      c("id_number", "身份证号", "ID number", { required: true, sealed: true }),
      c("address", "住址", "Address", { sealed: true }),
      c("card_status", "证件状态", "Card status", { options: CARD_STATUSES, hint: "valid" }),
      c("card_issued", "签发日期", "Issued", { required: true, hint: "2020-05-01" }),
      c("card_expires", "有效期至", "Expires", { required: true, hint: "2040-05-01" }),
      c("authority", "签发机关", "Issuing authority", { required: true, hint: "深圳市公安局福田分局" }),
      c("district", "所属辖区", "District", { required: true, hint: "futian" }),
    ],
    listColumns: [],
    actions: [
      {
        id: "card",
        zh: "证件状态",
        en: "Card status",
        fields: [c("card_status", "证件状态", "Card status", { required: true, options: CARD_STATUSES }), c("card_expires", "有效期至", "Expires", { hint: "2040-05-01" })],
        reason: true,
      },
    ],
    view: IDCHECK_REVIEW,
    write: REGISTRY_PEOPLE,
    ledger: { ns: "dsrec", prefix: "identity.registry/" },
  },
};
