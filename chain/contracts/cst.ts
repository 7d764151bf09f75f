/** China Standard Time (UTC+8, no daylight saving) as the contracts date documents: cards and licences are valid through their expiry day. */
const CST_MS = 8 * 3_600_000;

/** The date (YYYY-MM-DD, CST) of an instant in ms. */
export const cstDate = (ms: number): string => new Date(ms + CST_MS).toISOString().slice(0, 10);

/** "YYYY-MM-DD HH:mm" (CST) of an instant in ms, as officials write times. */
export const cstMinute = (ms: number): string => new Date(ms + CST_MS).toISOString().slice(0, 16).replace("T", " ");
