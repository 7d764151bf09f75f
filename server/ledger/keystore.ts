/**
 * The node's secret keys: its block-signing key and the department keys it signs batches for.
 * Persisted as JSON (mode 0600) so a restarted server signs for the same departments; when no file is
 * given (tests) it lives in memory only.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname } from "node:path";

export interface KeystoreFile {
  chain: string;
  node: { id: string; secretKey: string };
  /** Secret key (hex seed) by ledger key id. */
  keys: Record<string, string>;
  /** X25519 sealing secret keys by department id (their public keys are `sealkey` records on the ledger). */
  sealKeys?: Record<string, string>;
  /** AES-256 key (hex) sealing password credentials before they go on the ledger. */
  credentialKey?: string;
}

export class Keystore {
  /** Live map handed to the LedgerNode: adding a key here lets the node sign with it at once. */
  readonly keys: Map<string, string>;
  /** Department sealing (X25519) secret keys, by department id. */
  readonly sealKeys: Map<string, string>;
  /** Seals password credentials (see server/auth/credential-seal.ts). */
  readonly credentialKey: string;

  private constructor(
    readonly file: string | null,
    readonly chain: string,
    readonly node: { id: string; secretKey: string },
    keys: Record<string, string>,
    sealKeys: Record<string, string> = {},
    credentialKey?: string,
  ) {
    this.keys = new Map(Object.entries(keys));
    this.sealKeys = new Map(Object.entries(sealKeys));
    this.credentialKey = credentialKey ?? randomBytes(32).toString("hex");
  }

  /** Reads the keystore at `file`, or returns null when there is none. */
  static load(file: string): Keystore | null {
    if (!existsSync(file)) return null;
    const data = JSON.parse(readFileSync(file, "utf8")) as KeystoreFile;
    if (!data?.node?.secretKey || typeof data.keys !== "object") throw new Error(`keystore ${file} is malformed`);
    const ks = new Keystore(file, data.chain, data.node, data.keys, data.sealKeys ?? {}, data.credentialKey);
    if (!data.credentialKey) ks.save();
    return ks;
  }

  static create(file: string | null, chain: string, node: { id: string; secretKey: string }): Keystore {
    return new Keystore(file, chain, node, {});
  }

  add(keyId: string, secretKey: string): void {
    this.keys.set(keyId, secretKey);
    this.save();
  }

  addSealKey(deptId: string, secretKey: string): void {
    this.sealKeys.set(deptId, secretKey);
    this.save();
  }

  save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const data: KeystoreFile = { chain: this.chain, node: this.node, keys: Object.fromEntries(this.keys), sealKeys: Object.fromEntries(this.sealKeys), credentialKey: this.credentialKey };
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(data, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
