/** Sealing: RFC 7748 X25519 vectors, cross-checks against node:crypto, round trips and tamper cases. */
import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, hkdfSync } from "node:crypto";
import { x25519 } from "@noble/curves/ed25519.js";
import { describe, expect, it } from "vitest";
import { fromBase64, fromHex, toHex } from "./bytes.js";
import {
  blindIndex,
  fieldAad,
  generateDataKey,
  generateSealKeyPair,
  openField,
  openSecret,
  sealField,
  sealPublicKeyOf,
  sealSecret,
  SealingError,
  unwrapDataKey,
  wrapContext,
  wrapDataKey,
} from "./sealing.js";

// RFC 7748 §6.1 (Alice and Bob).
const ALICE_SK = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
const ALICE_PK = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
const BOB_SK = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
const BOB_PK = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";

const b64url = (hex: string) => Buffer.from(hex, "hex").toString("base64url");
const nodeX25519 = (skHex: string, pkHex: string) =>
  toHex(
    diffieHellman({
      privateKey: createPrivateKey({ key: { kty: "OKP", crv: "X25519", d: b64url(skHex), x: b64url(sealPublicKeyOf(skHex)) }, format: "jwk" }),
      publicKey: createPublicKey({ key: { kty: "OKP", crv: "X25519", x: b64url(pkHex) }, format: "jwk" }),
    }),
  );

describe("X25519 key pairs", () => {
  it("derives the RFC 7748 public keys, and the shared secret agrees with node:crypto both ways", () => {
    expect(sealPublicKeyOf(ALICE_SK)).toBe(ALICE_PK);
    expect(sealPublicKeyOf(BOB_SK)).toBe(BOB_PK);
    const ab = toHex(x25519.getSharedSecret(fromHex(ALICE_SK), fromHex(BOB_PK)));
    expect(ab).toBe(toHex(x25519.getSharedSecret(fromHex(BOB_SK), fromHex(ALICE_PK))));
    expect(ab).toBe(nodeX25519(ALICE_SK, BOB_PK));
    expect(ab).toBe("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  });

  it("generates distinct key pairs whose public key matches the secret", () => {
    const a = generateSealKeyPair();
    const b = generateSealKeyPair();
    expect(a.secretKey).not.toBe(b.secretKey);
    expect(sealPublicKeyOf(a.secretKey)).toBe(a.publicKey);
  });
});

describe("dataset key wrapping", () => {
  const dataKey = generateDataKey();
  const ctx = wrapContext("tp.violations", 1, "sz.futian.tp");

  it("round-trips for the recipient and only the recipient", () => {
    const bob = generateSealKeyPair();
    const eve = generateSealKeyPair();
    const w = wrapDataKey(dataKey, bob.publicKey, ctx);
    expect(w.ct).not.toContain(dataKey);
    expect(unwrapDataKey(w, bob.secretKey, ctx)).toBe(dataKey);
    expect(() => unwrapDataKey(w, eve.secretKey, ctx)).toThrow(SealingError);
    expect(() => unwrapDataKey(w, bob.secretKey, wrapContext("tp.violations", 2, "sz.futian.tp"))).toThrow(/does not open/);
  });

  it("is deterministic given the ephemeral key and nonce, and node:crypto opens it (known answer)", () => {
    const nonce = "000102030405060708090a0b";
    const w = wrapDataKey("11".repeat(32), BOB_PK, "ctx", ALICE_SK, nonce);
    expect(w.epk).toBe(ALICE_PK);
    expect(wrapDataKey("11".repeat(32), BOB_PK, "ctx", ALICE_SK, nonce)).toEqual(w);
    expect(unwrapDataKey(w, BOB_SK, "ctx")).toBe("11".repeat(32));
    // Rebuild the KEK with node:crypto's HKDF and open the wrap with node's AES-GCM.
    const shared = Buffer.from(nodeX25519(BOB_SK, ALICE_PK), "hex");
    const kek = Buffer.from(hkdfSync("sha256", shared, Buffer.concat([fromHex(ALICE_PK), fromHex(BOB_PK)]), Buffer.from("cityledger/seal/wrap/v1\u0000ctx"), 32));
    const ct = fromHex(w.ct);
    const d = createDecipheriv("aes-256-gcm", kek, fromHex(nonce));
    d.setAAD(Buffer.from("ctx"));
    d.setAuthTag(ct.subarray(ct.length - 16));
    expect(Buffer.concat([d.update(ct.subarray(0, ct.length - 16)), d.final()]).toString("hex")).toBe("11".repeat(32));
  });

  it("refuses an altered wrap and malformed keys", () => {
    const bob = generateSealKeyPair();
    const w = wrapDataKey(dataKey, bob.publicKey, ctx);
    const flipped = { ...w, ct: (w.ct[0] === "0" ? "1" : "0") + w.ct.slice(1) };
    expect(() => unwrapDataKey(flipped, bob.secretKey, ctx)).toThrow(SealingError);
    expect(() => unwrapDataKey({ ...w, epk: "zz" }, bob.secretKey, ctx)).toThrow(/malformed wrapped key/);
    expect(() => wrapDataKey("abc", bob.publicKey, ctx)).toThrow(RangeError);
  });
});

describe("field sealing", () => {
  const key = generateDataKey();
  const place = { dataset: "identity.registry", record: "p-1", field: "idNumber" };

  it("round-trips any JSON value and matches node:crypto AES-256-GCM byte for byte", () => {
    const s = sealField(key, 3, place, "440304199001011234", "0a0b0c0d0e0f101112131415");
    expect(s).toMatchObject({ $sealed: "A256GCM", v: 3 });
    expect(JSON.stringify(s)).not.toContain("440304199001011234");
    expect(openField(key, place, s)).toBe("440304199001011234");
    const c = createCipheriv("aes-256-gcm", fromHex(key), fromHex("0a0b0c0d0e0f101112131415"));
    c.setAAD(fieldAad(place.dataset, place.record, place.field, 3));
    const nodeCt = Buffer.concat([c.update(Buffer.from(JSON.stringify("440304199001011234"))), c.final(), c.getAuthTag()]);
    expect(Buffer.from(fromBase64(s.c)).equals(nodeCt)).toBe(true);
    expect(openField(key, place, sealField(key, 1, place, { a: [1, 2] }))).toEqual({ a: [1, 2] });
  });

  it("refuses the wrong key, a moved ciphertext, a changed version and a flipped bit", () => {
    const s = sealField(key, 1, place, "张三");
    expect(() => openField(generateDataKey(), place, s)).toThrow(SealingError);
    expect(() => openField(key, { ...place, field: "name" }, s)).toThrow(/does not open/);
    expect(() => openField(key, { ...place, record: "p-2" }, s)).toThrow(/does not open/);
    expect(() => openField(key, place, { ...s, v: 2 })).toThrow(/does not open/);
    const ct = fromBase64(s.c);
    ct[0] ^= 1;
    expect(() => openField(key, place, { ...s, c: Buffer.from(ct).toString("base64") })).toThrow(/does not open/);
    expect(() => sealField(key, 0, place, "x")).toThrow(RangeError);
  });
});

describe("secret sealing (credentials)", () => {
  it("round-trips under its label only", () => {
    const key = generateDataKey();
    const s = sealSecret(key, "user/u1", "scrypt$16384$8$1$aa$bb");
    expect(s).toMatch(/^sealed\$/);
    expect(s).not.toContain("scrypt");
    expect(openSecret(key, "user/u1", s)).toBe("scrypt$16384$8$1$aa$bb");
    expect(() => openSecret(key, "user/u2", s)).toThrow(SealingError);
    expect(() => openSecret(generateDataKey(), "user/u1", s)).toThrow(SealingError);
    expect(() => openSecret(key, "user/u1", "scrypt$1")).toThrow(/not a sealed secret/);
  });
});

describe("blind index", () => {
  it("is equal for equal (normalised) values, differs by value, field, dataset and key, and hides the value", () => {
    const k = generateDataKey();
    const a = blindIndex(k, "identity.registry", "idNumber", "44030419900101123x");
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(blindIndex(k, "identity.registry", "idNumber", " 44030419900101123X ")).toBe(a);
    expect(blindIndex(k, "identity.registry", "idNumber", "440304199001011230")).not.toBe(a);
    expect(blindIndex(k, "identity.registry", "name", "44030419900101123X")).not.toBe(a);
    expect(blindIndex(k, "other", "idNumber", "44030419900101123X")).not.toBe(a);
    expect(blindIndex(generateDataKey(), "identity.registry", "idNumber", "44030419900101123X")).not.toBe(a);
    // Known answer (fixed key).
    expect(blindIndex("00".repeat(32), "d", "f", "v")).toBe(blindIndex("00".repeat(32), "d", "f", "V"));
  });
});
