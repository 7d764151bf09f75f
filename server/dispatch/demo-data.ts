/**
 * The demo emergency services, seeded as ledger transactions: the emergency bureau's SLA rule,
 * station officers (a supervisor per unit-owning department, and an ambulance crew member for the
 * phone view), and response units at fire stations, hospitals and police posts of central Futian
 * and its neighbours, each registered by its own department. Emergency vehicles of the demo fleet
 * are attached to units of their class, so units with a reporting terminal show their live position.
 */
import type { Committed, LedgerNode } from "../../chain/node";
import { DEFAULT_SLA, SLA_RULE, type Capability, type UnitKind } from "../../chain/contracts/dispatch";
import { newCredential } from "../auth/credential-seal";
import type { Keystore } from "../ledger/keystore";
import { DEMO_PASSWORD, deptKeyId, ROOT_DEPT, SYSTEM_KEY_ID } from "../ledger/seed-data";

/** Rule written last: its presence means the dispatch demo is complete. */
export const DISPATCH_DEMO_MARKER = "dispatch.demoUnits";

/** Officers the demo units are registered by, and the crew member of the phone view. */
export const DISPATCH_STAFF = [
  { id: "fire.supervisor", dept: "sz.fire", name: "邓国栋", role: "supervisor" },
  { id: "health.supervisor", dept: "sz.health", name: "冯婉清", role: "supervisor" },
  { id: "futian.fire.supervisor", dept: "sz.futian.fire", name: "曾志勇", role: "supervisor" },
  { id: "futian.health.supervisor", dept: "sz.futian.health", name: "罗慧敏", role: "supervisor" },
  { id: "nanshan.fire.supervisor", dept: "sz.nanshan.fire", name: "彭建华", role: "supervisor" },
  { id: "nanshan.health.supervisor", dept: "sz.nanshan.health", name: "谢婷", role: "supervisor" },
  { id: "futian.tp.supervisor", dept: "sz.futian.tp", name: "蔡明", role: "supervisor" },
  { id: "luohu.tp.supervisor", dept: "sz.luohu.tp", name: "唐勇", role: "supervisor" },
  { id: "futian.psb.supervisor", dept: "sz.futian.psb", name: "许立新", role: "supervisor" },
  { id: "env.supervisor", dept: "sz.env", name: "韩清源", role: "supervisor" },
  { id: "futian.crew", dept: "sz.futian.health", name: "梁晨（福田120 车组）", role: "operator" },
] as const;

const STATIONS = {
  futianFire: { name: "福田消防救援站（福华路）", lon: 114.0578, lat: 22.5352 },
  xiangmihuFire: { name: "香蜜湖消防救援站", lon: 114.0318, lat: 22.5468 },
  shenzhenBayFire: { name: "南山深圳湾消防救援站", lon: 114.0112, lat: 22.5265 },
  specialFire: { name: "市消防特勤一站（笋岗）", lon: 114.0985, lat: 22.5548 },
  pkuHospital: { name: "北京大学深圳医院", lon: 114.0497, lat: 22.5589 },
  secondPeople: { name: "深圳市第二人民医院", lon: 114.0868, lat: 22.5598 },
  hkuHospital: { name: "香港大学深圳医院", lon: 114.0252, lat: 22.5262 },
  futianCbd: { name: "福田区急救站（会展中心）", lon: 114.0592, lat: 22.5338 },
  futianPeople: { name: "福田区人民医院", lon: 114.0776, lat: 22.5247 },
  octHospital: { name: "南山华侨城医院", lon: 114.0088, lat: 22.5402 },
  futianTp: { name: "福田交警大队（香梅路）", lon: 114.0375, lat: 22.5405 },
  futianTpEast: { name: "福田交警大队 华强北中队", lon: 114.0852, lat: 22.5428 },
  luohuTp: { name: "罗湖交警大队 笋岗中队", lon: 114.1005, lat: 22.5475 },
  futianPsb: { name: "福田公安分局 莲花派出所", lon: 114.0565, lat: 22.5512 },
  tpTow: { name: "交警支队 清障中队（车公庙）", lon: 114.0268, lat: 22.5358 },
  envMonitor: { name: "市生态环境应急监测站", lon: 114.0705, lat: 22.5532 },
};

type Station = (typeof STATIONS)[keyof typeof STATIONS];

const CAPS: Record<UnitKind, Capability[]> = {
  ambulance: ["medical"],
  fire_engine: ["fire", "rescue"],
  police_car: ["police", "traffic"],
  tow_truck: ["tow"],
  hazmat_team: ["hazmat", "rescue"],
};

/** Demo units: [id, name, kind, department, station]. */
export const DEMO_UNITS: [string, string, UnitKind, string, Station][] = [
  ["ft-fire-e1", "福田站 水罐消防车 1号", "fire_engine", "sz.futian.fire", STATIONS.futianFire],
  ["ft-fire-e2", "福田站 抢险救援车 2号", "fire_engine", "sz.futian.fire", STATIONS.futianFire],
  ["xmh-fire-e1", "香蜜湖站 水罐消防车", "fire_engine", "sz.futian.fire", STATIONS.xiangmihuFire],
  ["ns-fire-e1", "深圳湾站 水罐消防车", "fire_engine", "sz.nanshan.fire", STATIONS.shenzhenBayFire],
  ["sz-fire-e1", "特勤一站 重型抢险车", "fire_engine", "sz.fire", STATIONS.specialFire],
  ["sz-fire-hz1", "特勤一站 危化品处置车", "hazmat_team", "sz.fire", STATIONS.specialFire],
  ["sz-env-hz1", "环境应急监测车", "hazmat_team", "sz.env", STATIONS.envMonitor],
  ["pku-amb-1", "北大深圳医院 救护车 1号", "ambulance", "sz.health", STATIONS.pkuHospital],
  ["pku-amb-2", "北大深圳医院 救护车 2号", "ambulance", "sz.health", STATIONS.pkuHospital],
  ["sp-amb-1", "市二医院 救护车", "ambulance", "sz.health", STATIONS.secondPeople],
  ["hku-amb-1", "港大深圳医院 救护车", "ambulance", "sz.health", STATIONS.hkuHospital],
  ["ft-amb-1", "福田120 救护车 1号", "ambulance", "sz.futian.health", STATIONS.futianCbd],
  ["ft-amb-2", "福田120 救护车 2号", "ambulance", "sz.futian.health", STATIONS.futianPeople],
  ["ns-amb-1", "南山120 华侨城救护车", "ambulance", "sz.nanshan.health", STATIONS.octHospital],
  ["ft-police-1", "福田交警 巡逻车 1号", "police_car", "sz.futian.tp", STATIONS.futianTp],
  ["ft-police-2", "福田交警 华强北巡逻车", "police_car", "sz.futian.tp", STATIONS.futianTpEast],
  ["lh-police-1", "罗湖交警 巡逻车", "police_car", "sz.luohu.tp", STATIONS.luohuTp],
  ["ft-psb-1", "莲花派出所 警车", "police_car", "sz.futian.psb", STATIONS.futianPsb],
  ["tp-tow-1", "清障中队 拖车 1号", "tow_truck", "sz.futian.tp", STATIONS.tpTow],
];

const VEHICLE_CLASS: Partial<Record<UnitKind, string>> = { ambulance: "ambulance", fire_engine: "fire", police_car: "police" };

/**
 * Seeds the dispatch demo once (skipped when the marker rule exists); returns the transactions
 * written. Units of a class take the demo fleet's emergency vehicles of that class, in plate order.
 */
export async function seedDispatchDemo(node: LedgerNode, keystore: Pick<Keystore, "credentialKey">): Promise<number> {
  const store = node.store;
  if (await store.record("rule", DISPATCH_DEMO_MARKER)) return 0;
  const sys = (type: string, payload: object) => node.submit({ type, dept: ROOT_DEPT.id, actor: "system", purpose: "演示数据 demo data", payload: payload as never }, SYSTEM_KEY_ID);
  const tolerate = (p: Promise<unknown>) =>
    p.catch((e: Error) => {
      if (!/already/.test(e.message)) throw e;
    });
  const pending: Promise<unknown>[] = [];
  for (const u of DISPATCH_STAFF) {
    if (await store.record("user", u.id)) continue;
    // Sealed like every other credential: no scrypt hash reaches the ledger.
    pending.push(newCredential(keystore, u.id, DEMO_PASSWORD).then((credential) => sys("user.create", { ...u, clearance: 2, credential })));
  }
  await Promise.all(pending);
  let n = pending.length;

  await tolerate(
    node.submit({ type: "rule.set", dept: "sz.emergency", actor: "em.supervisor", purpose: "应急响应时限 SLA targets", payload: { name: SLA_RULE, value: DEFAULT_SLA as never, note: "市中心救护车 8 分钟到场 ambulance on scene in 8 minutes in the centre" } }, deptKeyId("sz.emergency")),
  );
  n++;

  const vehicles = (await store.records<{ cls: string }>("vehicle")).filter((v) => Object.values(VEHICLE_CLASS).includes(v.value.cls)).map((v) => ({ plate: v.key, cls: v.value.cls }));
  const taken = new Set((await store.records<{ unit: string }>("unit_plate")).map((r) => r.key));
  const officer = (dept: string) => DISPATCH_STAFF.find((s) => s.dept === dept && s.role === "supervisor")!.id;
  const done: Promise<Committed | void>[] = DEMO_UNITS.map(([id, name, kind, dept, station]) => {
    const cls = VEHICLE_CLASS[kind];
    const vehicle = cls ? vehicles.find((v) => v.cls === cls && !taken.has(v.plate)) : undefined;
    if (vehicle) taken.add(vehicle.plate);
    const payload = { id, name, kind, station, capabilities: CAPS[kind], ...(vehicle ? { plate: vehicle.plate } : {}) };
    return tolerate(node.submit({ type: "unit.register", dept, actor: officer(dept), purpose: "登记应急单元 register response unit", payload: payload as never }, deptKeyId(dept))) as Promise<void>;
  });
  await Promise.all(done);
  n += DEMO_UNITS.length;
  await sys("rule.set", { name: DISPATCH_DEMO_MARKER, value: { units: DEMO_UNITS.length }, note: "演示应急单元已就绪 demo units registered" });
  return n + 1;
}
