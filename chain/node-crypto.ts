/** node:crypto implementations of the ledger primitives (Node only; same bytes as @noble). */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { fromHex } from "./bytes.js";
import { nodeHasher } from "./node-hasher.js";
import type { CryptoSuite, Signatures } from "./signature.js";

const b64url = (hex: string) => Buffer.from(fromHex(hex)).toString("base64url");
const publicKeys = new Map<string, KeyObject>();
const privateKeys = new Map<string, KeyObject>();

function publicKeyObject(pkHex: string): KeyObject {
  let k = publicKeys.get(pkHex);
  if (!k) {
    k = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: b64url(pkHex) }, format: "jwk" });
    publicKeys.set(pkHex, k);
  }
  return k;
}

function privateKeyObject(skHex: string): KeyObject {
  let k = privateKeys.get(skHex);
  if (!k) {
    // node:crypto wants x alongside d in the JWK; derive it once through a PKCS#8 wrapper instead.
    const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), Buffer.from(fromHex(skHex))]);
    k = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" });
    privateKeys.set(skHex, k);
  }
  return k;
}

export const nodeSignatures: Signatures = {
  sign: (sk, msg) => new Uint8Array(sign(null, msg, privateKeyObject(sk))),
  verify: (pk, msg, sig) => {
    try {
      return pk.length === 64 && sig.length === 64 && verify(null, msg, publicKeyObject(pk), sig);
    } catch {
      return false;
    }
  },
};

export const nodeSuite: CryptoSuite = { hasher: nodeHasher, signatures: nodeSignatures };
