/**
 * The resource catalogue (资源目录) as the city registers it: every dataset with its owner department,
 * fields and their sensitivity, retention and row key; and demo records of the sealed datasets
 * (synthetic people and cases, no real person). Registered on the ledger by `syncCatalogue` at start-up.
 */
import type { DatasetField } from "../../chain/contracts/sharing";
import { idCheckDigit } from "../../lib/id-number";

export interface CatalogueDefinition {
  id: string;
  name: string;
  nameEn: string;
  description: string;
  descriptionEn: string;
  owner: string;
  source: { kind: "ledger"; ns: string } | { kind: "sealed" } | { kind: "table"; table: string };
  fields: DatasetField[];
  rowKey?: string;
  retentionDays: number;
  tags: string[];
}

const f = (name: string, label: string, labelEn: string, sensitivity: 1 | 2 | 3 | 4, sealed = false, indexed = false): DatasetField => ({ name, label, labelEn, sensitivity, sealed, ...(indexed ? { indexed } : {}) });

export const CATALOGUE: CatalogueDefinition[] = [
  {
    id: "vehicles",
    name: "营运车辆登记",
    nameEn: "Vehicle registry",
    description: "网约车、出租车、危化品车、公交等营运车辆的登记信息、所属企业与道路运输证。",
    descriptionEn: "Registered commercial vehicles (ride-hailing, taxi, hazmat, bus...): owner company, terminal and operating licence.",
    owner: "sz.transport",
    source: { kind: "ledger", ns: "vehicle" },
    fields: [f("plate", "车牌", "Plate", 1), f("cls", "车辆类别", "Class", 1), f("company", "所属企业", "Company", 2), f("terminal", "车载终端", "Terminal", 2), f("licence", "道路运输证", "Licence", 2), f("vin", "车架号", "VIN", 3), f("odometerKm", "登记里程", "Odometer (km)", 2)],
    retentionDays: 3650,
    tags: ["交通", "车辆"],
  },
  {
    id: "drivers",
    name: "营运驾驶员",
    nameEn: "Licensed drivers",
    description: "网约车与出租车驾驶员的从业资格证及绑定车辆。姓名与从业资格证号加密存储。",
    descriptionEn: "Ride-hailing and taxi drivers: professional licence and the vehicles they are registered with. Name and licence number are sealed.",
    owner: "sz.transport",
    source: { kind: "ledger", ns: "driver" },
    // Name and licence number are personal data: sealed on the ledger, the number findable by its blind index.
    fields: [f("id", "驾驶员编号", "Driver id", 2), f("name", "姓名", "Name", 3, true), f("company", "所属平台", "Platform", 2), f("licence", "从业资格状态", "Licence status", 2), f("licenceNo", "从业资格证号", "Licence no.", 3, true, true), f("vehicles", "绑定车辆", "Vehicles", 2)],
    retentionDays: 3650,
    tags: ["交通", "个人信息"],
  },
  {
    id: "telemetry",
    name: "车辆定位轨迹",
    nameEn: "Vehicle telemetry tracks",
    description: "车载终端上报的定位点（经纬度、速度、方向），批次默克尔根锚定上链。",
    descriptionEn: "Positions reported by vehicle terminals (position, speed, heading); each batch's Merkle root is anchored on the ledger.",
    owner: "sz.transport",
    source: { kind: "table", table: "telemetry_pings" },
    fields: [f("plate", "车牌", "Plate", 1), f("ts", "时间", "Time", 2), f("lon", "经度", "Longitude", 2), f("lat", "纬度", "Latitude", 2), f("speedKmh", "速度", "Speed", 2), f("heading", "方向", "Heading", 2)],
    retentionDays: 180,
    tags: ["交通", "位置"],
  },
  {
    id: "ridehail.trips",
    name: "网约车行程",
    nameEn: "Ride-hailing trips",
    description: "网约车平台上报的行程：驾驶员、车辆、起止时间、里程与车费，以及双合规核查结果。",
    descriptionEn: "Trips reported by ride-hailing platforms: driver, vehicle, start and end, distance and fare, and the dual-compliance check.",
    owner: "sz.transport",
    source: { kind: "ledger", ns: "trip" },
    fields: [f("id", "行程编号", "Trip id", 1), f("platform", "平台", "Platform", 1), f("driver", "驾驶员", "Driver", 3), f("plate", "车牌", "Plate", 2), f("start", "开始时间", "Start", 3), f("end", "结束时间", "End", 3), f("distanceKm", "里程", "Distance (km)", 2), f("fareYuan", "车费", "Fare (yuan)", 3), f("compliant", "合规", "Compliant", 1), f("problems", "问题", "Problems", 2)],
    retentionDays: 1825,
    tags: ["交通", "网约车"],
  },
  {
    id: "geofences",
    name: "电子围栏",
    nameEn: "Geofences",
    description: "重点区域、限速区、危化品通行走廊等电子围栏及其时段与适用车型。",
    descriptionEn: "Key areas, speed zones and hazmat corridors with their schedules and vehicle classes.",
    owner: "sz.tp",
    source: { kind: "ledger", ns: "geofence" },
    fields: [f("id", "编号", "Id", 1), f("name", "名称", "Name", 1), f("kind", "类型", "Kind", 1), f("shape", "范围", "Shape", 1), f("speedLimitKmh", "限速", "Speed limit", 1), f("status", "状态", "Status", 1)],
    retentionDays: 3650,
    tags: ["交通", "地理"],
  },
  {
    id: "alarms",
    name: "车辆监管告警",
    nameEn: "Vehicle supervision alarms",
    description: "超速、越界、偏航、离线、非法营运等告警及其处置过程。",
    descriptionEn: "Overspeed, geofence, deviation, offline and unlicensed-trip alarms with their handling.",
    owner: "sz.tp",
    source: { kind: "ledger", ns: "alarm" },
    fields: [f("id", "编号", "Id", 1), f("type", "类型", "Type", 1), f("severity", "级别", "Severity", 1), f("subject", "车牌", "Plate", 2), f("at", "时间", "Time", 1), f("lon", "经度", "Longitude", 2), f("lat", "纬度", "Latitude", 2), f("detail", "详情", "Detail", 2), f("status", "状态", "Status", 1), f("assignee", "处置人", "Assignee", 2)],
    retentionDays: 1825,
    tags: ["交通", "告警"],
  },
  {
    id: "hazmat.permits",
    name: "危化品运输许可",
    nameEn: "Hazmat transport permits",
    description: "危险货物道路运输通行许可：车辆、货物类别、通行走廊与时间窗。",
    descriptionEn: "Hazardous-goods road permits: vehicle, cargo class, corridor and time window.",
    owner: "sz.tp",
    source: { kind: "ledger", ns: "permit" },
    fields: [f("id", "许可编号", "Permit", 1), f("plate", "车牌", "Plate", 1), f("cargoClass", "危险类别", "UN class", 1), f("cargo", "货物", "Cargo", 2), f("corridor", "走廊", "Corridor", 1), f("from", "起", "From", 1), f("to", "止", "To", 1)],
    retentionDays: 1825,
    tags: ["交通", "危化品"],
  },
  {
    id: "incidents",
    name: "应急事件",
    nameEn: "Emergency incidents",
    description: "接警、告警或围栏事件形成的应急事件，含处置单位、时间线与时限。报警人信息加密存储。",
    descriptionEn: "Incidents from calls, alarms or geofence events, with units, timeline and SLA. The caller is sealed.",
    owner: "sz.emergency",
    source: { kind: "ledger", ns: "incident" },
    fields: [f("id", "编号", "Id", 1), f("kind", "类型", "Kind", 1), f("district", "辖区", "District", 1), f("location", "位置", "Location", 2), f("caller", "报警人", "Caller", 4, true), f("status", "状态", "Status", 1), f("units", "处置单位", "Units", 2)],
    rowKey: "district",
    retentionDays: 3650,
    tags: ["应急"],
  },
  {
    id: "identity.registry",
    name: "居民身份信息库",
    nameEn: "Identity registry",
    description: "公安机关户籍与身份证件信息。姓名、身份证号、住址加密存储，仅凭授权解密；每次读取写入访问日志。",
    descriptionEn: "Household and ID-card records of the public security bureau. Name, ID number and address are sealed; readable only under a grant; every read is logged.",
    owner: "sz.psb",
    source: { kind: "sealed" },
    fields: [
      f("personId", "人员编号", "Person id", 2),
      f("name", "姓名", "Name", 4, true, true),
      f("idNumber", "身份证号", "ID number", 4, true, true),
      f("address", "住址", "Address", 4, true),
      f("cardStatus", "证件状态", "Card status", 3),
      f("cardIssued", "签发日期", "Card issued", 3),
      f("cardExpires", "有效期至", "Card expires", 3),
      f("authority", "签发机关", "Issuing authority", 2),
      f("district", "户籍辖区", "District", 1),
    ],
    rowKey: "district",
    retentionDays: 36500,
    tags: ["公安", "个人信息"],
  },
  {
    id: "identity.verifications",
    name: "身份核验记录",
    nameEn: "ID verification log",
    description: "各部门发起的身份核验请求、目的与结果。",
    descriptionEn: "ID checks requested by departments, with purpose and outcome.",
    owner: "sz.psb",
    source: { kind: "ledger", ns: "idcheck" },
    fields: [f("id", "编号", "Id", 1), f("time", "时间", "Time", 1), f("verifier", "核验人", "Verifier", 2), f("dept", "部门", "Department", 1), f("purpose", "目的", "Purpose", 2), f("site", "核验点", "Site", 2), f("result", "结果", "Result", 3), f("record", "被核验人", "Subject", 4)],
    retentionDays: 1825,
    tags: ["公安", "个人信息"],
  },
  {
    id: "tp.violations",
    name: "交通违法处理记录",
    nameEn: "Traffic violation cases",
    description: "交警支队查处的交通违法案件：车牌、违法类型、辖区、罚款与记分。当事人姓名、身份证号与电话加密存储。",
    descriptionEn: "Traffic violation cases of the traffic police: plate, offence, district, fine and points. The party's name, ID number and phone are sealed.",
    owner: "sz.tp",
    source: { kind: "sealed" },
    fields: [
      f("caseNo", "案件编号", "Case no.", 1),
      f("plate", "车牌", "Plate", 2),
      f("offence", "违法行为", "Offence", 1),
      f("district", "辖区", "District", 1),
      f("at", "违法时间", "Time", 1),
      f("fineYuan", "罚款(元)", "Fine (yuan)", 2),
      f("points", "记分", "Points", 2),
      f("partyName", "当事人", "Party", 3, true),
      f("partyIdNumber", "身份证号", "ID number", 4, true, true),
      f("partyPhone", "联系电话", "Phone", 3, true),
    ],
    rowKey: "district",
    retentionDays: 1825,
    tags: ["交通", "执法", "个人信息"],
  },
  {
    id: "futian.parking",
    name: "福田占道停车执法记录",
    nameEn: "Futian kerbside parking enforcement",
    description: "福田交警大队的违停抄告记录；车主电话加密存储。福田区的上级主管可逐级查看。",
    descriptionEn: "Kerbside parking tickets of the Futian traffic police brigade; the owner's phone is sealed. Supervisors of the Futian district see it through the hierarchy.",
    owner: "sz.futian.tp",
    source: { kind: "sealed" },
    fields: [f("ticket", "抄告单号", "Ticket", 1), f("plate", "车牌", "Plate", 2), f("street", "路段", "Street", 1), f("district", "辖区", "District", 1), f("at", "时间", "Time", 1), f("ownerPhone", "车主电话", "Owner phone", 3, true)],
    rowKey: "district",
    retentionDays: 730,
    tags: ["交通", "福田"],
  },
];

/**
 * Statutory sharing (法定职责共享): datasets the owner shares with every department that supervises
 * vehicles (the city and districts, traffic police, transport, emergency, fire and health bureaus),
 * as one-year grants renewed when the catalogue is checked at start-up.
 */
export const STANDING_SHARES = {
  datasets: ["vehicles", "drivers", "telemetry", "geofences", "alarms", "hazmat.permits"],
  kinds: ["city", "district"],
  bureaus: ["traffic_police", "transport", "emergency", "fire", "health"],
  durationDays: 365,
  /** Renewed when less than this is left. */
  renewWithinDays: 30,
  purpose: "法定职责共享：车辆监管 statutory sharing for vehicle supervision",
} as const;

/**
 * Statutory ID verification (实名核验): the registry owner lets hotel registration (through the district
 * police), transport hubs and hospitals ask yes/no questions of the identity registry — the `verify`
 * action sees no field — as one-year grants renewed at start-up like the statutory shares.
 */
export const STANDING_VERIFY = {
  dataset: "identity.registry",
  bureaus: ["public_security", "transport", "health"],
  durationDays: 365,
  renewWithinDays: 30,
  purpose: "法定职责：旅馆业、交通枢纽、医疗机构实名核验 statutory ID checks by hotels, transport hubs and hospitals",
} as const;

const SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高";
const GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"];
const STREETS: Record<string, string[]> = {
  "sz.futian": ["深南大道", "福华路", "益田路", "金田路", "福中路"],
  "sz.nanshan": ["科苑路", "南海大道", "后海大道", "滨海大道"],
  "sz.luohu": ["人民南路", "东门路", "宝安南路"],
  "sz.baoan": ["宝安大道", "新湖路", "创业一路"],
};
const ADCODES: Record<string, string> = { "sz.futian": "440304", "sz.nanshan": "440305", "sz.luohu": "440303", "sz.baoan": "440306" };
const OFFENCES: [string, number, number][] = [
  ["超速20%以上未达50%", 200, 6],
  ["闯红灯", 200, 6],
  ["违法停车", 150, 0],
  ["驾车使用手机", 200, 3],
  ["不按导向车道行驶", 100, 2],
  ["未礼让行人", 150, 3],
];

const AUTHORITIES: Record<string, string> = { "sz.futian": "深圳市公安局福田分局", "sz.nanshan": "深圳市公安局南山分局", "sz.luohu": "深圳市公安局罗湖分局", "sz.baoan": "深圳市公安局宝安分局" };

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const DISTRICT_IDS = Object.keys(STREETS);

function person(i: number) {
  const district = DISTRICT_IDS[i % DISTRICT_IDS.length];
  const birth = `19${pad(60 + ((i * 7) % 40), 2)}${pad(1 + (i % 12), 2)}${pad(1 + ((i * 3) % 28), 2)}`;
  const first17 = `${ADCODES[district]}${birth}${pad((i * 37) % 1000, 3)}`;
  return {
    name: SURNAMES[(i * 7) % SURNAMES.length] + GIVEN[(i * 3) % GIVEN.length],
    idNumber: first17 + idCheckDigit(first17),
    district,
    phone: `13${pad((i * 7919 + 12345678) % 1_000_000_000, 9)}`,
    street: STREETS[district][i % STREETS[district].length],
  };
}

export interface DemoRecord {
  key: string;
  attrs: Record<string, string | number>;
  sealed: Record<string, string>;
}

/** Demo records per sealed dataset (deterministic, synthetic). `base` is the time the seed runs. */
export function demoRecords(dataset: string, base: number): DemoRecord[] {
  const day = 86_400_000;
  if (dataset === "identity.registry") {
    const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    return Array.from({ length: 60 }, (_, i) => {
      const p = person(i);
      const status = i % 11 === 5 ? "reported_lost" : i % 13 === 7 ? "expired" : i % 17 === 3 ? "reported_stolen" : i % 19 === 9 ? "revoked" : "valid";
      const expires = base + (status === "expired" ? -(30 + i) : 365 * (2 + (i % 8))) * day;
      return {
        key: `p-${pad(i + 1, 5)}`,
        attrs: { personId: `p-${pad(i + 1, 5)}`, cardStatus: status, cardIssued: date(expires - 365 * (i % 3 === 0 ? 20 : 10) * day), cardExpires: date(expires), authority: AUTHORITIES[p.district], district: p.district },
        sealed: { name: p.name, idNumber: p.idNumber, address: `深圳市${p.street}${10 + i}号` },
      };
    });
  }
  if (dataset === "tp.violations") {
    return Array.from({ length: 32 }, (_, i) => {
      const p = person(i + 100);
      const [offence, fine, points] = OFFENCES[i % OFFENCES.length];
      return {
        key: `wf-${pad(i + 1, 5)}`,
        attrs: { caseNo: `SZJJ2026${pad(i + 1, 5)}`, plate: `粤B${pad((i * 1733 + 10000) % 100000, 5)}`, offence, district: p.district, at: base - (i + 1) * 3 * 3600_000, fineYuan: fine, points },
        sealed: { partyName: p.name, partyIdNumber: p.idNumber, partyPhone: p.phone },
      };
    });
  }
  if (dataset === "futian.parking") {
    return Array.from({ length: 12 }, (_, i) => {
      const p = person(i * 4 + 200);
      return {
        key: `tk-${pad(i + 1, 5)}`,
        attrs: { ticket: `FTWT${pad(i + 1, 6)}`, plate: `粤B${pad((i * 911 + 20000) % 100000, 5)}`, street: STREETS["sz.futian"][i % 5], district: "sz.futian", at: base - (i + 1) * 2 * 3600_000 },
        sealed: { ownerPhone: p.phone },
      };
    });
  }
  return [];
}
