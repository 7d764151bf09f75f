/**
 * Verification points (核验点): where ID checks are made — hotel registration via the district police,
 * transport hubs and ports, hospitals. WGS-84 positions of the public places; the location of each
 * check goes on the ledger, which is how duplicate concurrent use of a card is found.
 */
export type SiteKind = "hotel" | "hub" | "port" | "hospital" | "police";

export interface VerificationSite {
  id: string;
  name: string;
  nameEn: string;
  kind: SiteKind;
  lon: number;
  lat: number;
}

export const VERIFICATION_SITES: readonly VerificationSite[] = [
  { id: "hotel.futian-cbd", name: "福田中心区旅馆业登记点", nameEn: "Futian CBD hotel registration", kind: "hotel", lon: 114.059, lat: 22.534 },
  { id: "hotel.nanshan-hitech", name: "南山科技园旅馆业登记点", nameEn: "Nanshan Hi-tech Park hotel registration", kind: "hotel", lon: 113.953, lat: 22.541 },
  { id: "hotel.luohu-dongmen", name: "罗湖东门旅馆业登记点", nameEn: "Luohu Dongmen hotel registration", kind: "hotel", lon: 114.121, lat: 22.547 },
  { id: "hub.sz-north", name: "深圳北站实名核验口", nameEn: "Shenzhen North Station ID gate", kind: "hub", lon: 114.0296, lat: 22.6097 },
  { id: "hub.futian-station", name: "福田站实名核验口", nameEn: "Futian Station ID gate", kind: "hub", lon: 114.0553, lat: 22.5375 },
  { id: "hub.bao-an-airport", name: "宝安国际机场 T3 安检", nameEn: "Bao'an Airport T3 security", kind: "hub", lon: 113.8145, lat: 22.6248 },
  { id: "port.luohu", name: "罗湖口岸", nameEn: "Luohu Port", kind: "port", lon: 114.114, lat: 22.5315 },
  { id: "port.futian", name: "福田口岸", nameEn: "Futian Port", kind: "port", lon: 114.0703, lat: 22.5155 },
  { id: "port.sz-bay", name: "深圳湾口岸", nameEn: "Shenzhen Bay Port", kind: "port", lon: 113.946, lat: 22.504 },
  { id: "hospital.pku-sz", name: "北京大学深圳医院挂号处", nameEn: "Peking University Shenzhen Hospital registration", kind: "hospital", lon: 114.048, lat: 22.558 },
  { id: "hospital.sz-people", name: "深圳市人民医院挂号处", nameEn: "Shenzhen People's Hospital registration", kind: "hospital", lon: 114.12, lat: 22.555 },
  { id: "police.futian-hall", name: "福田分局户政服务大厅", nameEn: "Futian Sub-bureau household registration hall", kind: "police", lon: 114.0636, lat: 22.5431 },
  { id: "hub.gz-south", name: "广州南站实名核验口（省内协查）", nameEn: "Guangzhou South Station ID gate (provincial)", kind: "hub", lon: 113.269, lat: 22.989 },
];

export const siteById = (id: string) => VERIFICATION_SITES.find((s) => s.id === id);

/** The sites a department's staff usually work at, listed first in the picker. */
export function sitesFor(bureau: string | undefined): VerificationSite[] {
  const first: SiteKind[] = bureau === "health" ? ["hospital"] : bureau === "transport" ? ["hub", "port"] : bureau === "public_security" ? ["hotel", "police", "port"] : [];
  return [...VERIFICATION_SITES].sort((a, b) => Number(first.includes(b.kind)) - Number(first.includes(a.kind)));
}
