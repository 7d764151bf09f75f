/**
 * Password credentials on the ledger are sealed: the scrypt hash is encrypted (AES-256-GCM) under the
 * node keystore's credential key, bound to the user id, so neither the ledger nor a database dump
 * holds a password hash. Sign-in opens it; a bare scrypt hash (written before sealing) still works.
 */
import { openSecret, sealSecret, SealingError } from "../../chain/sealing";
import type { Keystore } from "../ledger/keystore";
import { hashPassword } from "./password";

const label = (userId: string) => `cityledger/credential/${userId}`;

export function sealCredential(keystore: Pick<Keystore, "credentialKey">, userId: string, credential: string): string {
  return sealSecret(keystore.credentialKey, label(userId), credential);
}

/** Hashes `password` and seals the hash for `userId`: the credential a user transaction carries. */
export async function newCredential(keystore: Pick<Keystore, "credentialKey">, userId: string, password: string): Promise<string> {
  return sealCredential(keystore, userId, await hashPassword(password));
}

/** The scrypt hash behind a stored credential; null when it does not open with this node's key. */
export function openCredential(keystore: Pick<Keystore, "credentialKey">, userId: string, stored: string | undefined | null): string | null {
  if (!stored) return null;
  if (!stored.startsWith("sealed$")) return stored;
  try {
    return openSecret(keystore.credentialKey, label(userId), stored);
  } catch (e) {
    if (e instanceof SealingError) return null;
    throw e;
  }
}
