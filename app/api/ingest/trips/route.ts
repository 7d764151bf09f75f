/** Ride-hailing trip reports over HTTP: platforms POST signed batches of trips (see server/ingest/trips.ts). */
import { handleTripRequest } from "@/server/ingest/http";
import { getServices } from "@/server/services";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  const { vehicles } = await getServices();
  if (!vehicles) return Response.json({ error: "vehicle supervision is not running" }, { status: 503 });
  return handleTripRequest(req, vehicles.trips);
}
