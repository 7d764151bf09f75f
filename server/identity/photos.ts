/**
 * Document photos of ID checks: kept off chain in `identity_photos`, sealed under the registry's data
 * key; the check's transaction carries the photo's SHA-256. `checkPhoto` proves later that the
 * stored photo (or a file someone presents) is the one anchored.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { toHex } from "../../chain/bytes";
import { REGISTRY, type IdCheck } from "../../chain/contracts/identity";
import { openField, sealField, type SealedValue } from "../../chain/sealing";
import { InvalidInputError } from "../errors";
import type { PortalLedger } from "../ledger/portal-ledger";
import { registryDataKey } from "./registry";

export const PHOTO_MAX_BYTES = 3 * 1024 * 1024;
const MIMES = { "image/jpeg": [0xff, 0xd8, 0xff], "image/png": [0x89, 0x50, 0x4e, 0x47], "image/webp": [0x52, 0x49, 0x46, 0x46] } as const;
export type PhotoMime = keyof typeof MIMES;
export const PHOTO_MIMES = Object.keys(MIMES) as PhotoMime[];

export interface PhotoInput {
  mime: PhotoMime;
  /** The image, base64. */
  data: string;
}

export class PhotoError extends InvalidInputError {
  constructor(message: string) {
    super(message);
  }
}

/** Decodes and checks an uploaded photo: size, and that the bytes are the image type claimed. */
export function decodePhoto(input: PhotoInput): Uint8Array {
  const bytes = new Uint8Array(Buffer.from(input.data, "base64"));
  if (!bytes.length) throw new PhotoError("照片为空 the photo is empty");
  if (bytes.length > PHOTO_MAX_BYTES) throw new PhotoError(`照片不得超过 3 MB the photo exceeds 3 MB (${(bytes.length / 1048576).toFixed(1)} MB)`);
  const magic = MIMES[input.mime];
  if (!magic.every((b, i) => bytes[i] === b)) throw new PhotoError(`文件内容不是 ${input.mime} the file is not a ${input.mime} image`);
  return bytes;
}

export const photoHash = (bytes: Uint8Array) => toHex(sha256(bytes));

async function registryKey(ledger: PortalLedger, version?: number): Promise<{ key: string; version: number }> {
  const opened = await registryDataKey(ledger, version);
  if (!opened) throw new PhotoError("本节点无法打开身份信息库密钥 this node cannot open the registry key");
  return opened;
}

/** Stores a photo sealed (idempotent by hash). `created` is false when the same photo was stored before. */
export async function storePhoto(ledger: PortalLedger, input: PhotoInput, now = Date.now()): Promise<{ hash: string; created: boolean }> {
  const bytes = decodePhoto(input);
  const hash = photoHash(bytes);
  const { key, version } = await registryKey(ledger);
  const sealed = sealField(key, version, { dataset: REGISTRY, record: `photo/${hash}`, field: "photo" }, Buffer.from(bytes).toString("base64"));
  const { rows } = await ledger.db.query<{ hash: string }>(
    `INSERT INTO identity_photos (hash, mime, size, sealed, created_at) VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT (hash) DO NOTHING RETURNING hash`,
    [hash, input.mime, bytes.length, JSON.stringify(sealed), now],
  );
  return { hash, created: rows.length > 0 };
}

export async function deletePhoto(ledger: PortalLedger, hash: string): Promise<void> {
  await ledger.db.query(`DELETE FROM identity_photos WHERE hash = $1`, [hash]);
}

export interface PhotoCheck {
  check: string;
  /** The hash on the ledger, in the check's transaction. */
  anchored: string;
  stored: "unchanged" | "altered" | "missing";
  /** When a file was presented: whether it is the anchored photo. */
  presented: boolean | null;
}

/** Compares the stored photo (and optionally a presented file) with the hash anchored by check `check`. */
export async function checkPhoto(ledger: PortalLedger, check: IdCheck, presented?: PhotoInput): Promise<PhotoCheck> {
  if (!check.photo) throw new PhotoError(`核验 ${check.id} 未附照片 check ${check.id} has no photo`);
  const { rows } = await ledger.db.query<{ sealed: SealedValue }>(`SELECT sealed FROM identity_photos WHERE hash = $1`, [check.photo]);
  let stored: PhotoCheck["stored"] = "missing";
  if (rows[0]) {
    try {
      const { key } = await registryKey(ledger, rows[0].sealed.v);
      const b64 = openField(key, { dataset: REGISTRY, record: `photo/${check.photo}`, field: "photo" }, rows[0].sealed) as string;
      stored = photoHash(new Uint8Array(Buffer.from(b64, "base64"))) === check.photo ? "unchanged" : "altered";
    } catch {
      stored = "altered"; // the ciphertext no longer authenticates
    }
  }
  return { check: check.id, anchored: check.photo, stored, presented: presented ? photoHash(decodePhoto(presented)) === check.photo : null };
}

/** The photo itself, for the registry owner's review. */
export async function readPhoto(ledger: PortalLedger, hash: string): Promise<{ mime: string; data: string } | null> {
  const { rows } = await ledger.db.query<{ sealed: SealedValue; mime: string }>(`SELECT sealed, mime FROM identity_photos WHERE hash = $1`, [hash]);
  if (!rows[0]) return null;
  const { key } = await registryKey(ledger, rows[0].sealed.v);
  return { mime: rows[0].mime, data: openField(key, { dataset: REGISTRY, record: `photo/${hash}`, field: "photo" }, rows[0].sealed) as string };
}
