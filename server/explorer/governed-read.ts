/**
 * Explorer views made through an ExplorerGovernor: transaction summaries, details and a record's
 * history, with the fields the reader may not see withheld (and why).
 */
import type { StoredTx } from "../../chain/store/ledger-store";
import { subjectOf, txEnvelope, txHeader, type TxDetail, type TxSummary } from "./describe";
import { maskWithheld, type ExplorerGovernor, type Governed, type Withheld } from "./governance";

type Hidden = Governed["hidden"];

function bodyOf(tx: StoredTx): { payload: Record<string, unknown> | null; purpose: string | null } {
  try {
    const b = JSON.parse(tx.body) as { payload?: Record<string, unknown>; purpose?: string };
    return { payload: b.payload ?? null, purpose: b.purpose ?? null };
  } catch {
    return { payload: null, purpose: null };
  }
}

/** A summary whose subject line is made from what the reader may see. */
export function governedSummary(gov: ExplorerGovernor, tx: StoredTx): TxSummary {
  const { payload, purpose } = bodyOf(tx);
  const g = gov.tx(tx.type, tx.dept, payload, purpose);
  return { ...txHeader(tx), subject: subjectOf(tx.type, (maskWithheld(g.value.payload) as Record<string, unknown> | null) ?? undefined) };
}

export interface GovernedTxDetail extends Omit<TxDetail, "purpose"> {
  purpose: string | Withheld | null;
  hidden: Hidden;
  revealable: boolean;
}

export function governedDetail(gov: ExplorerGovernor, tx: StoredTx): GovernedTxDetail {
  const { payload, purpose } = bodyOf(tx);
  const g = gov.tx(tx.type, tx.dept, payload, purpose);
  return {
    ...txHeader(tx),
    ...txEnvelope(tx),
    subject: subjectOf(tx.type, (maskWithheld(g.value.payload) as Record<string, unknown> | null) ?? undefined),
    payload: g.value.payload,
    purpose: g.value.purpose,
    hidden: g.hidden,
    revealable: g.revealable,
  };
}

/** Sealed values a reveal may open: load the keys of the datasets involved first. */
export async function prepareReveal(gov: ExplorerGovernor, target: { ns: string; key: string; value: unknown } | { tx: StoredTx }) {
  if ("tx" in target) {
    const { payload } = bodyOf(target.tx);
    await gov.preloadKeys(gov.datasetsOf(gov.txScopes(target.tx.type, payload)));
  } else {
    await gov.preloadKeys(gov.datasetsOf([gov.recordScope(target.ns, target.key, target.value)]));
  }
}
