/**
 * Every state namespace the contracts write, and what the read policy governs in its records: the
 * catalogue dataset a record belongs to (and how its keys map onto the dataset's fields), or why it
 * is public. Contracts declare the namespaces they write (`writes`); the engine refuses any other.
 */
import { INCIDENT_ALIAS } from "./dispatch.js";
import type { PayloadScope } from "./types.js";

export type NamespaceGovernance = { scope(key: string, value: Record<string, unknown>): PayloadScope } | { public: string };

const dataset = (id: string, extra: Omit<PayloadScope, "dataset" | "recordKey"> = {}): NamespaceGovernance => ({ scope: (key) => ({ dataset: id, recordKey: key, ...extra }) });
const open = (reason: string): NamespaceGovernance => ({ public: reason });

export const NAMESPACES: Readonly<Record<string, NamespaceGovernance>> = {
  config: open("账本配置 the ledger's configuration"),
  node: open("节点公钥 node public keys"),
  key: open("签名公钥 signing public keys"),
  dept: open("部门树 the department tree"),
  user: open("工作人员名录（凭据密封） the staff directory (credentials sealed)"),
  rule: open("智能法规规则 smart-law rules"),
  anchor: open("文件哈希 file hashes"),
  company: open("运输企业登记 transport company registrations"),
  vehicle: dataset("vehicles"),
  terminal: { scope: () => ({ dataset: "vehicles" }) },
  mileage: { scope: () => ({ dataset: "vehicles" }) },
  driver: dataset("drivers"),
  geofence: dataset("geofences"),
  permit: dataset("hazmat.permits"),
  telemetry: open("定位批次的默克尔根 Merkle roots of position batches"),
  alarm: dataset("alarms"),
  trip: dataset("ridehail.trips"),
  ridehail_stats: open("平台合规率汇总 per-platform compliance totals"),
  unit: open("应急单元 response units"),
  unit_plate: open("应急单元的车辆 vehicles of response units"),
  incident: dataset("incidents", { alias: INCIDENT_ALIAS }),
  // A sealed dataset's record: its dataset is named in the value.
  dsrec: { scope: (key, value) => ({ dataset: String(value.dataset ?? key.split("/")[0]), recordKey: String(value.key ?? key.slice(key.indexOf("/") + 1)) }) },
  // Blind index of an ID number -> the person it finds.
  ididx: { scope: () => ({ dataset: "identity.registry", alias: { key: "personId" } }) },
  idcheck: dataset("identity.verifications"),
  // Where and when a person was last checked.
  idseen: { scope: () => ({ dataset: "identity.verifications", alias: { "*": "record" } }) },
  idalert: { scope: () => ({ dataset: "identity.verifications", alias: { idIndex: "record", last: "record", duplicate: "record", check: "id" } }) },
  sealkey: open("部门加密公钥 department sealing public keys"),
  dataset: open("资源目录 the resource catalogue"),
  dskey: open("加密的数据密钥 wrapped (encrypted) dataset keys"),
  access: open("共享申请与授权 access requests and grants"),
  readlog: open("读取次数 read counters"),
};
