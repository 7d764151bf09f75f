/** Whether a reader may have a transaction's receipt, which carries the exact signed bytes. */
import type { Governed } from "./governance";

/** Why a receipt is refused: it carries the exact signed bytes, so every field the reader may not see. */
export function receiptRefusal(hidden: Governed["hidden"]): string | null {
  const refused = hidden.filter((h) => !h.revealable && !h.ownIndex);
  if (!refused.length) return null;
  const fields = [...new Set(refused.map((h) => `${h.dataset}.${h.field}`))].join(", ");
  return `回执含有您无权查看的字段 the receipt carries fields withheld from you: ${fields} (${refused[0].reason})`;
}
