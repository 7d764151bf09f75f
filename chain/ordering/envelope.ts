/**
 * The bytes that travel through the ordering stream: a node's cut (its signed batches with the
 * canonical texts), a node's block signature, and the audit beacons nodes exchange. Everything read
 * from the network is parsed here with zod; a message that does not parse is skipped by every node
 * alike, so it cannot make nodes disagree.
 */
import { z } from "zod";
import type { BlockSignature } from "../block.js";
import type { OrderedBatch } from "../engine.js";

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const hex128 = z.string().regex(/^[0-9a-f]{128}$/);
const nodeId = z.string().min(1).max(64);

const cutSchema = z.object({
  v: z.literal(1),
  node: nodeId,
  batches: z
    .array(
      z
        .object({ signer: z.string().min(1).max(128), signature: hex128, txHashes: z.array(hex64).min(1), texts: z.array(z.string().nullable()) })
        .refine((b) => b.texts.length === b.txHashes.length, "one text per transaction"),
    )
    .min(1),
});

export type Cut = z.infer<typeof cutSchema>;

export function encodeCut(node: string, batches: OrderedBatch[]): Uint8Array {
  const cut: Cut = { v: 1, node, batches: batches.map((b) => ({ signer: b.signer, signature: b.signature, txHashes: b.txHashes, texts: b.texts })) };
  return new TextEncoder().encode(JSON.stringify(cut));
}

export function decodeCut(data: Uint8Array): Cut | null {
  try {
    const r = cutSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

const signatureSchema = z.object({ v: z.literal(1), height: z.number().int().min(0), hash: hex64, signer: nodeId, signature: hex128 });
export type SignatureMessage = z.infer<typeof signatureSchema>;

export function encodeSignature(height: number, hash: string, sig: BlockSignature): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ v: 1, height, hash, signer: sig.signer, signature: sig.signature } satisfies SignatureMessage));
}

export function decodeSignature(data: Uint8Array): SignatureMessage | null {
  try {
    const r = signatureSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/**
 * A node's periodic beacon: where it is, and the hashes of a window of its blocks recomputed from
 * the rows in its own database (not from memory), so its peers can check its stored history.
 */
const beaconSchema = z.object({
  v: z.literal(1),
  node: nodeId,
  region: z.string().max(32),
  at: z.number().int(),
  height: z.number().int().min(-1),
  headHash: hex64.nullable(),
  finalHeight: z.number().int().min(-1),
  orderedThrough: z.number().int().min(0),
  signing: z.boolean(),
  lastSignatureAt: z.number().int().nullable(),
  audit: z.object({ from: z.number().int().min(0), hashes: z.array(z.string().max(64)).max(4096) }),
});
export type Beacon = z.infer<typeof beaconSchema>;

export function encodeBeacon(b: Beacon): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(b));
}

export function decodeBeacon(data: Uint8Array): Beacon | null {
  try {
    const r = beaconSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
