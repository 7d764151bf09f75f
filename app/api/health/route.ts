/** Liveness and readiness: opens (and on first start seeds) the ledger, then reports its head. */
import { getServices } from "@/server/services";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const { ledger } = await getServices();
  return Response.json({ ok: true, height: ledger.node.height, txCount: ledger.node.txCount, backend: ledger.db.kind });
}
