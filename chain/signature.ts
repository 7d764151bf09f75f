/**
 * ed25519 signatures. @noble/curves everywhere; Node swaps in node:crypto (node-crypto.ts), which
 * gives the same signatures (ed25519 is deterministic) ~20x faster here.
 */
import { ed25519 } from "@noble/curves/ed25519.js";
import { fromHex, toHex } from "./bytes.js";
import { nobleHasher, type Hasher } from "./hasher.js";

export interface KeyPair {
  /** 32-byte public key, hex. */
  publicKey: string;
  /** 32-byte seed, hex. Never leaves the node that owns it. */
  secretKey: string;
}

export interface Signatures {
  sign(secretKeyHex: string, message: Uint8Array): Uint8Array;
  verify(publicKeyHex: string, message: Uint8Array, signature: Uint8Array): boolean;
}

export const nobleSignatures: Signatures = {
  sign: (sk, msg) => ed25519.sign(msg, fromHex(sk)),
  verify: (pk, msg, sig) => {
    try {
      return ed25519.verify(sig, msg, fromHex(pk));
    } catch {
      return false;
    }
  },
};

export function generateKeyPair(): KeyPair {
  const secretKey = ed25519.utils.randomSecretKey();
  return { secretKey: toHex(secretKey), publicKey: toHex(ed25519.getPublicKey(secretKey)) };
}

export function publicKeyOf(secretKeyHex: string): string {
  return toHex(ed25519.getPublicKey(fromHex(secretKeyHex)));
}

/** The primitives a ledger component needs, bundled so tests can run both implementations. */
export interface CryptoSuite {
  hasher: Hasher;
  signatures: Signatures;
}

export const nobleSuite: CryptoSuite = { hasher: nobleHasher, signatures: nobleSignatures };
