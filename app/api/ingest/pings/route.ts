/** Telemetry ingest over HTTP: companies POST signed batches of pings (see server/ingest/http.ts). */
import { handleIngestRequest } from "@/server/ingest/http";
import { getServices } from "@/server/services";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  const { vehicles } = await getServices();
  if (!vehicles) return Response.json({ error: "vehicle supervision is not running" }, { status: 503 });
  return handleIngestRequest(req, vehicles.ingest);
}
