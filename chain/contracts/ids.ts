/** Identifier patterns of ledger records: declared here once, used by contracts, the server and the pages. */
import { z } from "zod";

/** A record id (departments, users, companies, units, datasets, geofences, …): lowercase, max 64. */
export const RECORD_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const RECORD_ID_RULE = "只能使用小写字母、数字、'.'、'_'、'-'（最长 64） lowercase letters, digits, '.', '_' or '-' (max 64)";

/** A record id as a zod schema; `what` names it in the message ("单元编号 unit id"). */
export const recordId = (what?: string) => z.string().regex(RECORD_ID, what ? `${what}: ${RECORD_ID_RULE}` : RECORD_ID_RULE);

/** A vehicle plate: a province character, a letter, then 5 (6 for new energy) letters or digits. */
export const PLATE = /^[\u4e00-\u9fa5][A-Z][A-Z0-9]{5,6}$/;
export const plateSchema = z.string().regex(PLATE, "plate like 粤B12345 (or 粤BD12345 for new energy)");

/** A person's key in the identity registry (pseudonymous). */
export const PERSON_KEY = /^p-[0-9a-z]{1,40}$/;
