/**
 * Key management of sealed datasets on this node: department sealing keys (secret in the keystore,
 * public on the ledger), dataset keys unwrapped per reading department, wraps for new readers and
 * rotation. Nothing here writes around the ledger: every key that others must know is a transaction.
 */
import type { DatasetKeys } from "../../chain/contracts/sharing";
import { generateDataKey, generateSealKeyPair, sealPublicKeyOf, unwrapDataKey, wrapContext, wrapDataKey, type WrappedKey } from "../../chain/sealing";
import type { PortalLedger } from "../ledger/portal-ledger";
import { ROOT_DEPT, SYSTEM_KEY_ID } from "../ledger/seed-data";

export type VersionWrap = WrappedKey & { dept: string; version: number };

/** Submits a transaction as the system actor (the node's system key). */
export function submitAsSystem(ledger: PortalLedger, type: string, payload: object, purpose: string) {
  return ledger.node.submit({ type, dept: ROOT_DEPT.id, actor: "system", purpose, payload: payload as never }, SYSTEM_KEY_ID);
}

const pendingSealKeys = new WeakMap<PortalLedger, Map<string, Promise<string>>>();

/**
 * The department's sealing public key, registering a fresh key pair on the ledger when it has none.
 * @returns the public key (hex).
 */
export async function ensureSealKey(ledger: PortalLedger, dept: string): Promise<string> {
  const rec = await ledger.node.store.record<{ publicKey: string }>("sealkey", dept);
  const secret = ledger.keystore.sealKeys.get(dept);
  if (rec && (!secret || sealPublicKeyOf(secret) === rec.value.publicKey)) return rec.value.publicKey;
  let inflight = pendingSealKeys.get(ledger);
  if (!inflight) pendingSealKeys.set(ledger, (inflight = new Map()));
  const existing = inflight.get(dept);
  if (existing) return existing;
  const p = (async () => {
    const kp = secret ? { secretKey: secret, publicKey: sealPublicKeyOf(secret) } : generateSealKeyPair();
    ledger.keystore.addSealKey(dept, kp.secretKey);
    await submitAsSystem(ledger, "sealkey.register", { dept, publicKey: kp.publicKey }, "登记部门加密公钥 register department sealing key");
    return kp.publicKey;
  })().finally(() => inflight!.delete(dept));
  inflight.set(dept, p);
  return p;
}

export async function datasetKeys(ledger: PortalLedger, dataset: string): Promise<DatasetKeys | null> {
  return (await ledger.node.store.record<DatasetKeys>("dskey", dataset))?.value ?? null;
}

const keyCache = new WeakMap<PortalLedger, Map<string, string>>();

/**
 * The dataset key of `version` as department `dept` can open it: its wrap on the ledger, opened with
 * its secret in this node's keystore. Null when the key is not wrapped for the department (not a
 * reader of that version) or this node does not hold the department's secret.
 */
export function openDataKey(ledger: PortalLedger, keys: DatasetKeys, version: number, dept: string): string | null {
  let cache = keyCache.get(ledger);
  if (!cache) keyCache.set(ledger, (cache = new Map()));
  const id = `${keys.dataset}\u0000${version}\u0000${dept}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const wrap = keys.versions.find((v) => v.version === version)?.wraps[dept];
  const secret = ledger.keystore.sealKeys.get(dept);
  if (!wrap || !secret) return null;
  const key = unwrapDataKey(wrap, secret, wrapContext(keys.dataset, version, dept));
  cache.set(id, key);
  return key;
}

/** Wraps `dataKey` (of `version`) for each department, registering sealing keys where missing. */
export async function wrapFor(ledger: PortalLedger, dataset: string, version: number, dataKey: string, depts: string[]): Promise<VersionWrap[]> {
  const out: VersionWrap[] = [];
  for (const dept of [...new Set(depts)]) {
    const pub = await ensureSealKey(ledger, dept);
    out.push({ dept, version, ...wrapDataKey(dataKey, pub, wrapContext(dataset, version, dept)) });
  }
  return out;
}

/** Every key version of a dataset wrapped for a new reader `dept`, opened through the owner's wraps. */
export async function wrapsForReader(ledger: PortalLedger, keys: DatasetKeys, owner: string, dept: string): Promise<VersionWrap[]> {
  const out: VersionWrap[] = [];
  for (const v of keys.versions) {
    const k = openDataKey(ledger, keys, v.version, owner);
    if (!k) throw new Error(`this node cannot open version ${v.version} of ${keys.dataset} for its owner ${owner}`);
    out.push(...(await wrapFor(ledger, keys.dataset, v.version, k, [dept])));
  }
  return out;
}

/** A fresh dataset key of version `version` wrapped for `readers`. */
export async function rotatedWraps(ledger: PortalLedger, dataset: string, version: number, readers: string[]): Promise<VersionWrap[]> {
  return wrapFor(ledger, dataset, version, generateDataKey(), readers);
}
