/**
 * The demo city as the seed writes it: Shenzhen, its ten districts (names and adcodes from
 * shared/geo/shenzhen_districts.geojson), municipal bureaus, district bureaus, and one user per role.
 */
import type { Role } from "../../chain/contracts/types";
import type { BUREAUS } from "../../chain/contracts/core";

export type Bureau = (typeof BUREAUS)[number];

export interface SeedDepartment {
  id: string;
  parent: string;
  name: string;
  nameEn: string;
  kind: "district" | "bureau";
  bureau?: Bureau;
  adcode?: string;
}

export interface SeedUser {
  id: string;
  dept: string;
  name: string;
  role: Role;
  clearance: number;
}

export const CHAIN_ID = "cityledger-sz";
export const ROOT_DEPT = { id: "sz", name: "深圳市", nameEn: "Shenzhen Municipality", kind: "city" as const, region: "shenzhen", adcode: "440300" };
export const NODE_INFO = { id: "sz-1", region: "shenzhen", name: "深圳市政务链主节点" };
export const SYSTEM_KEY_ID = "sys";

/** Password of every demo user (documented in README; change it in production by user.update). */
export const DEMO_PASSWORD = "Demo@2026";

/**
 * Demo data (staff accounts, the traffic world, dispatch units, synthetic people) is written to a
 * fresh ledger unless CITYLEDGER_DEMO=0: then only the department tree, its keys and one system
 * administrator (CITYLEDGER_ADMIN_PASSWORD, or a generated password printed once) are seeded, and
 * officials onboard everything else through the portal.
 */

const DISTRICTS: { slug: string; name: string; nameEn: string; adcode?: string }[] = [
  { slug: "luohu", name: "罗湖区", nameEn: "Luohu District", adcode: "440303" },
  { slug: "futian", name: "福田区", nameEn: "Futian District", adcode: "440304" },
  { slug: "nanshan", name: "南山区", nameEn: "Nanshan District", adcode: "440305" },
  { slug: "baoan", name: "宝安区", nameEn: "Bao'an District", adcode: "440306" },
  { slug: "longgang", name: "龙岗区", nameEn: "Longgang District", adcode: "440307" },
  { slug: "yantian", name: "盐田区", nameEn: "Yantian District", adcode: "440308" },
  { slug: "longhua", name: "龙华区", nameEn: "Longhua District", adcode: "440309" },
  { slug: "pingshan", name: "坪山区", nameEn: "Pingshan District", adcode: "440310" },
  { slug: "guangming", name: "光明区", nameEn: "Guangming District", adcode: "440311" },
  { slug: "dapeng", name: "大鹏新区", nameEn: "Dapeng New District" },
];

const CITY_BUREAUS: { slug: string; bureau: Bureau; name: string; nameEn: string }[] = [
  { slug: "tp", bureau: "traffic_police", name: "深圳市公安局交通警察支队", nameEn: "Shenzhen Traffic Police Detachment" },
  { slug: "transport", bureau: "transport", name: "深圳市交通运输局", nameEn: "Shenzhen Transport Bureau" },
  { slug: "psb", bureau: "public_security", name: "深圳市公安局", nameEn: "Shenzhen Public Security Bureau" },
  { slug: "emergency", bureau: "emergency", name: "深圳市应急管理局", nameEn: "Shenzhen Emergency Management Bureau" },
  { slug: "fire", bureau: "fire", name: "深圳市消防救援支队", nameEn: "Shenzhen Fire and Rescue Detachment" },
  { slug: "health", bureau: "health", name: "深圳市卫生健康委员会", nameEn: "Shenzhen Health Commission" },
  { slug: "env", bureau: "environment", name: "深圳市生态环境局", nameEn: "Shenzhen Ecology and Environment Bureau" },
];

/** District bureaus: full set in Futian and Nanshan, police units in Luohu and Bao'an. */
function districtBureaus(short: string, en: string, all: boolean): { slug: string; bureau: Bureau; name: string; nameEn: string }[] {
  const list = [
    { slug: "tp", bureau: "traffic_police" as const, name: `${short}交警大队`, nameEn: `${en} Traffic Police Brigade` },
    { slug: "psb", bureau: "public_security" as const, name: `深圳市公安局${short}分局`, nameEn: `${en} Public Security Sub-bureau` },
  ];
  if (!all) return list;
  return [
    ...list,
    { slug: "transport", bureau: "transport", name: `深圳市交通运输局${short}管理局`, nameEn: `${en} Transport Administration` },
    { slug: "emergency", bureau: "emergency", name: `${short}区应急管理局`, nameEn: `${en} Emergency Management Bureau` },
    { slug: "fire", bureau: "fire", name: `${short}区消防救援大队`, nameEn: `${en} Fire and Rescue Brigade` },
    { slug: "health", bureau: "health", name: `${short}区卫生健康局`, nameEn: `${en} Health Bureau` },
    { slug: "env", bureau: "environment", name: `深圳市生态环境局${short}管理局`, nameEn: `${en} Ecology and Environment Administration` },
  ];
}

const DISTRICT_UNITS: { slug: string; short: string; en: string; all: boolean }[] = [
  { slug: "futian", short: "福田", en: "Futian", all: true },
  { slug: "nanshan", short: "南山", en: "Nanshan", all: true },
  { slug: "luohu", short: "罗湖", en: "Luohu", all: false },
  { slug: "baoan", short: "宝安", en: "Bao'an", all: false },
];

/** Every department below the root, parents before children. */
export const SEED_DEPARTMENTS: SeedDepartment[] = [
  ...DISTRICTS.map((d) => ({ id: `sz.${d.slug}`, parent: "sz", name: d.name, nameEn: d.nameEn, kind: "district" as const, ...(d.adcode ? { adcode: d.adcode } : {}) })),
  ...CITY_BUREAUS.map((b) => ({ id: `sz.${b.slug}`, parent: "sz", name: b.name, nameEn: b.nameEn, kind: "bureau" as const, bureau: b.bureau })),
  ...DISTRICT_UNITS.flatMap((u) =>
    districtBureaus(u.short, u.en, u.all).map((b) => ({
      id: `sz.${u.slug}.${b.slug}`,
      parent: `sz.${u.slug}`,
      name: b.name,
      nameEn: b.nameEn,
      kind: "bureau" as const,
      bureau: b.bureau,
    })),
  ),
];

/** Demo users: every role at least once, across city, bureau and district levels. */
export const SEED_USERS: SeedUser[] = [
  { id: "admin", dept: "sz", name: "李建国", role: "sys_admin", clearance: 4 },
  { id: "tp.admin", dept: "sz.tp", name: "王志强", role: "dept_admin", clearance: 3 },
  { id: "tp.supervisor", dept: "sz.tp", name: "陈晓明", role: "supervisor", clearance: 3 },
  { id: "tp.operator", dept: "sz.tp", name: "张伟", role: "operator", clearance: 2 },
  { id: "tp.viewer", dept: "sz.tp", name: "赵敏", role: "viewer", clearance: 1 },
  { id: "tr.operator", dept: "sz.transport", name: "刘洋", role: "operator", clearance: 2 },
  { id: "em.dispatcher", dept: "sz.emergency", name: "周强", role: "dispatcher", clearance: 2 },
  { id: "em.supervisor", dept: "sz.emergency", name: "孙丽华", role: "supervisor", clearance: 3 },
  { id: "psb.operator", dept: "sz.psb", name: "黄海涛", role: "operator", clearance: 3 },
  { id: "psb.supervisor", dept: "sz.psb", name: "钟文华", role: "supervisor", clearance: 4 },
  { id: "futian.psb.desk", dept: "sz.futian.psb", name: "罗晓燕", role: "operator", clearance: 2 },
  { id: "futian.health.desk", dept: "sz.futian.health", name: "谢婷", role: "operator", clearance: 2 },
  { id: "futian.admin", dept: "sz.futian.tp", name: "林志伟", role: "dept_admin", clearance: 3 },
  { id: "futian.operator", dept: "sz.futian.tp", name: "吴静", role: "operator", clearance: 2 },
  { id: "nanshan.dispatcher", dept: "sz.nanshan.fire", name: "郑凯", role: "dispatcher", clearance: 2 },
  { id: "nanshan.viewer", dept: "sz.nanshan.env", name: "何雪", role: "viewer", clearance: 1 },
];

export const deptKeyId = (deptId: string) => `k.${deptId}`;
