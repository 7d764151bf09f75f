/**
 * Resident identity card numbers (居民身份证号码, GB 11643-1999): 6-digit region code, 8-digit birth
 * date, 3-digit sequence, and an ISO 7064 MOD 11-2 check character. Shared by the browser (live
 * feedback while typing) and the server (the zod schema every ID input goes through).
 */
import { z } from "zod";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/** Province-level codes in use (the first two digits). */
const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91]);

/** The check character of the first 17 digits. */
export function idCheckDigit(first17: string): string {
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * WEIGHTS[i], 0);
  return "10X98765432"[sum % 11];
}

/** Upper-cases a trailing x and drops spaces, as people type it. */
export const normalizeIdNumber = (s: string) => s.replace(/\s+/g, "").toUpperCase();

/**
 * Why `raw` is not a valid ID number, or null when it is. The message is bilingual and says what
 * to fix; `today` (YYYYMMDD) bounds the birth date.
 */
export function idNumberProblem(raw: string, today = new Date().toISOString().slice(0, 10).replace(/-/g, "")): string | null {
  const s = normalizeIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(s)) return `身份证号应为 18 位：17 位数字加 1 位校验码（数字或 X），当前 ${s.length} 位 an ID number is 17 digits and a check character (digit or X); got ${s.length} characters`;
  if (!PROVINCES.has(Number(s.slice(0, 2)))) return `地区码 ${s.slice(0, 6)} 无效 unknown region code ${s.slice(0, 6)}`;
  const birth = s.slice(6, 14);
  const [y, m, d] = [Number(birth.slice(0, 4)), Number(birth.slice(4, 6)), Number(birth.slice(6, 8))];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || birth > today) return `出生日期 ${birth} 无效 invalid birth date ${birth}`;
  const want = idCheckDigit(s.slice(0, 17));
  if (s[17] !== want) return `校验码错误：末位应为 ${want}，实为 ${s[17]}，请核对号码 check character mismatch: expected ${want}, got ${s[17]}`;
  return null;
}

/** An ID number input: normalised, then rejected with the reason when it is not valid. */
export const idNumberSchema = z
  .string()
  .trim()
  .min(1, "请输入身份证号 enter the ID number")
  .max(40)
  .transform(normalizeIdNumber)
  .superRefine((s, ctx) => {
    const problem = idNumberProblem(s);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Shows only the region code and the check character: enough to tell two checks apart on screen. */
export const maskIdNumber = (s: string) => (s.length === 18 ? `${s.slice(0, 6)}********${s.slice(14, 17).replace(/./g, "*")}${s[17]}` : "*".repeat(s.length));

/** A person's name as compared: spaces and middle dots dropped, full-width forms folded. */
export const normalizeName = (s: string) => s.normalize("NFKC").replace(/[\s·•．.]+/g, "").trim();
