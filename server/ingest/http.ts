/**
 * HTTP ingest: POST /api/ingest/pings with the company's signed batch.
 *   x-cityledger-company: <company id>
 *   x-cityledger-signature: <ed25519 signature over the exact body bytes, hex>
 *   body: {"pings": [{terminal, ts, lon, lat, speed, heading?}, ...]}
 * 200 with per-ping results (a bad ping is listed, the rest kept); 400/401/413 with a reason.
 */
import { IngestError, MAX_BATCH, type TelemetryIngest } from "./telemetry-ingest";
import type { TripIngest } from "./trips";

export const MAX_BODY_BYTES = MAX_BATCH * 200;

class TooLarge extends Error {}

/**
 * Reads the body as it streams in and stops at `limit` bytes: a client that sends no (or a false)
 * Content-Length cannot make the server buffer more than that.
 */
export async function readBodyCapped(req: Request, limit: number): Promise<Uint8Array> {
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) out.set(c, (at += c.byteLength) - c.byteLength);
  return out;
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** Reads a signed ingest request and hands it to `accept`; maps IngestError to its status. */
export async function handleSignedRequest(req: Request, accept: (company: string, signature: string, body: Uint8Array) => Promise<unknown>): Promise<Response> {
  if (req.method !== "POST") return json(405, { error: "use POST" });
  const company = req.headers.get("x-cityledger-company");
  const signature = req.headers.get("x-cityledger-signature");
  if (!company || !signature) return json(401, { error: "x-cityledger-company and x-cityledger-signature headers are required" });
  const length = Number(req.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) return json(413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
  let body: Uint8Array;
  try {
    body = await readBodyCapped(req, MAX_BODY_BYTES);
  } catch (e) {
    if (e instanceof TooLarge) return json(413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
    return json(400, { error: "the request body could not be read" });
  }
  try {
    return json(200, await accept(company, signature, body));
  } catch (e) {
    if (e instanceof IngestError) return json(e.status, { error: e.message });
    console.error(`[ingest] ${(e as Error).stack ?? e}`);
    return json(500, { error: "ingest failed; the batch was not stored" });
  }
}

export const handleIngestRequest = (req: Request, ingest: TelemetryIngest) => handleSignedRequest(req, (c, s, b) => ingest.ingestSigned(c, s, b));
export const handleTripRequest = (req: Request, trips: TripIngest) => handleSignedRequest(req, (c, s, b) => trips.ingestSigned(c, s, b));
