/**
 * Password hashing with scrypt (node:crypto), in the credential format the ledger's user contract
 * accepts: `scrypt$N$r$p$<32 hex salt>$<128 hex hash>`.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

const N = 16384;
const R = 8;
const P = 1;
const KEY_LEN = 64;
const CREDENTIAL = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([0-9a-f]{32})\$([0-9a-f]{128})$/;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, KEY_LEN, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** @returns a credential string for the ledger's user record. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString("hex")}$${key.toString("hex")}`;
}

/** Constant-time check of a password against a credential; false for a malformed credential. */
export async function verifyPassword(password: string, credential: string | undefined | null): Promise<boolean> {
  const m = typeof credential === "string" ? CREDENTIAL.exec(credential) : null;
  if (!m) return false;
  const [n, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (n > 1 << 20 || r > 32 || p > 16) return false;
  const key = await derive(password, Buffer.from(m[4], "hex"), n, r, p);
  return timingSafeEqual(key, Buffer.from(m[5], "hex"));
}

/** A credential no password matches: used to spend the same time on unknown users. */
export const DUMMY_CREDENTIAL = `scrypt$${N}$${R}$${P}$${"0".repeat(32)}$${"0".repeat(128)}`;
