/**
 * inclusion/, consistency/ (bare proofs) and signers/: RFC 6962 proofs over fixed leaves. Valid
 * cases take their roots and paths from the RFC's definitions (reference.ts) and check the code's
 * builders agree; each mutation must fail, and its file records the error the verifier gives.
 */
import { fromHex, toHex, utf8 } from "../../bytes.js";
import { verifyConsistency } from "../../consistency.js";
import { canonicalize } from "../../encoding.js";
import { MerkleTree } from "../../merkle.js";
import { nodeSuite } from "../../node-crypto.js";
import { buildConsistencyProof, buildInclusionProof } from "../../proof/build.js";
import { verifyInclusion } from "../../proof/verify.js";
import { signerLeafHash, signerLeaves, signerProof, signersRoot, type SignerLeaf, type SignerProof } from "../../signers.js";
import { refConsistency, refLeafHash, refPath, refRoot } from "./reference.js";
import { add, errorText, expectSame, flipBit, mustThrow, pad, testKey, type VectorSet } from "./common.js";

const { hasher } = nodeSuite;

/** The eight leaves of the RFC 6962 reference tests (certificate-transparency), then "leaf 8", "leaf 9", ... */
const RFC_LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];
const leaves = (n: number) => Array.from({ length: n }, (_, i) => RFC_LEAVES[i] ?? toHex(utf8(`leaf ${i}`)));

// --- inclusion -------------------------------------------------------------------------------

const SIZES = [1, 2, 3, 4, 5, 7, 8, 13, 16];
/** Per size, the index whose proof every mutation starts from. */
const SUBJECT: Record<number, number> = { 1: 0, 2: 1, 3: 2, 4: 1, 5: 4, 7: 5, 8: 3, 13: 12, 16: 10 };

interface InclusionCase {
  leaf: string;
  leafHash: string;
  index: number;
  size: number;
  path: string[];
  root: string;
}

const inclusionError = (name: string, c: InclusionCase) =>
  mustThrow(`inclusion/${name}`, () => verifyInclusion(hasher, c.index, c.size, fromHex(c.leafHash), c.path.map(fromHex), fromHex(c.root)));

function inclusionVectors(set: VectorSet): void {
  for (const size of SIZES) {
    const data = leaves(size);
    const hashes = data.map(refLeafHash);
    const root = refRoot(hashes);
    const tree = new MerkleTree(hasher, hashes.map(fromHex));
    expectSame(`inclusion size ${size} root`, toHex(tree.root()), root);
    const indexes = size <= 8 ? [...Array(size).keys()] : [0, size >> 1, size - 1, SUBJECT[size]].filter((x, i, a) => a.indexOf(x) === i);
    for (const index of indexes) {
      const path = refPath(index, hashes);
      expectSame(`inclusion size ${size} index ${index} path`, buildInclusionProof(index, size, tree.hashRange).map(toHex), path);
      const c: InclusionCase = { leaf: data[index], leafHash: hashes[index], index, size, path, root };
      const base = `size${pad(size)}-index${pad(index)}`;
      verifyInclusion(hasher, index, size, fromHex(c.leafHash), path.map(fromHex), fromHex(root));
      add(set, "inclusion", base, { desc: `leaf ${index} of ${size}: valid (the tree's leaves are given so a builder can be checked too)`, leaves: data, ...c, expected: { ok: true } });
      if (index !== SUBJECT[size]) continue;

      const bad = (suffix: string, desc: string, m: InclusionCase) =>
        add(set, "inclusion", `${base}-${suffix}`, { desc: `leaf ${index} of ${size}: ${desc}`, ...m, expected: { ok: false, error: inclusionError(`${base}-${suffix}`, m) } });
      // The path alone does not bind the size: where the other size gives the same path shape it
      // verifies, which is why a verifier takes the size from the signed head (a block's txCount).
      const otherSize = (s: number) => {
        const m = { ...c, size: s };
        try {
          verifyInclusion(hasher, index, s, fromHex(c.leafHash), path.map(fromHex), fromHex(root));
        } catch {
          return bad(`wrong-size${pad(s)}`, `tree size ${s} claimed`, m);
        }
        add(set, "inclusion", `${base}-wrong-size${pad(s)}-passes`, {
          desc: `leaf ${index} of ${size}: tree size ${s} claimed, and the proof still verifies: the path alone does not bind the size (the size must come from the signed head, as a receipt's does from txCount)`,
          ...m,
          expected: { ok: true },
        });
      };
      const other = data[(index + 1) % size] === data[index] ? "ff" : data[(index + 1) % size];
      const wrongLeaf = size === 1 ? "ff" : other;
      bad("wrong-leaf", `another leaf (${JSON.stringify(wrongLeaf)}) with this leaf's path`, { ...c, leaf: wrongLeaf, leafHash: refLeafHash(wrongLeaf) });
      bad("leaf-not-hashed", "the leaf hashed without the 0x00 leaf prefix (plain SHA-256 of its data)", { ...c, leafHash: toHex(hasher.digest(fromHex(c.leaf))) });
      path.forEach((_, i) => bad(`flip-path${i}`, `lowest bit of byte 0 of path[${i}] flipped`, { ...c, path: path.map((p, j) => (j === i ? flipBit(p) : p)) }));
      bad("flip-root", "lowest bit of byte 0 of the root flipped", { ...c, root: flipBit(root) });
      otherSize(size + 1);
      if (size - 1 > index) otherSize(size - 1);
      if (size > 1) bad(`wrong-index${pad(index ^ 1)}`, `index ${index ^ 1} claimed`, { ...c, index: index ^ 1 });
      bad(`index-out-of-range`, `index ${size} claimed (not below the size)`, { ...c, index: size });
      if (path.length) bad("path-truncated", "last path element dropped", { ...c, path: path.slice(0, -1) });
      bad("path-extended", "an extra path element appended", { ...c, path: [...path, root] });
      if (path.length) bad("path-element-short", "path[0] one byte short", { ...c, path: [path[0].slice(2), ...path.slice(1)] });
    }
  }
}

// --- consistency (bare proofs; bundles come from the ledger, see bundle.ts) ------------------

const PAIRS: [number, number][] = [[1, 1], [0, 5], [1, 2], [1, 8], [2, 5], [3, 7], [4, 8], [5, 8], [6, 8], [7, 8], [3, 13], [8, 13], [13, 16]];
const MUTATED = new Set(["3-7", "4-8", "6-8", "8-13"]);

function consistencyVectors(set: VectorSet): void {
  const all = leaves(16).map(refLeafHash);
  for (const [m, n] of PAIRS) {
    const leafHashes = all.slice(0, n);
    const rootM = refRoot(all.slice(0, m));
    const rootN = refRoot(leafHashes);
    const proof = refConsistency(m, leafHashes);
    expectSame(`consistency ${m}-${n} proof`, buildConsistencyProof(m, n, new MerkleTree(hasher, leafHashes.map(fromHex)).hashRange).map(toHex), proof);
    const base = `proof-${pad(m)}-${pad(n)}`;
    const c = { m, n, rootM, rootN, proof };
    const r = verifyConsistency(hasher, m, n, rootM, rootN, proof);
    if (!r.ok) throw new Error(`vector consistency/${base}: ${r.detail}`);
    add(set, "consistency", base, { desc: `history of ${m} leaves extended to ${n}: valid (leaf hashes given so a builder can be checked too)`, kind: "proof", leafHashes, ...c, expected: { ok: true } });
    if (!MUTATED.has(`${m}-${n}`)) continue;

    /** A claimed size may give the same proof shape and pass (`mayPass`): sizes must come from the signed heads. */
    const bad = (suffix: string, desc: string, x: typeof c, mayPass = false) => {
      const got = verifyConsistency(hasher, x.m, x.n, x.rootM, x.rootN, x.proof);
      if (got.ok && !mayPass) throw new Error(`vector consistency/${base}-${suffix}: passes`);
      const why = got.ok ? ", and the proof still verifies: the proof alone does not bind the sizes (they must come from the signed heads, as a bundle's do from the block heights)" : "";
      add(set, "consistency", `${base}-${suffix}${got.ok ? "-passes" : ""}`, { desc: `${m} to ${n}: ${desc}${why}`, kind: "proof", ...x, expected: got });
    };
    proof.forEach((_, i) => bad(`flip-proof${i}`, `lowest bit of byte 0 of proof[${i}] flipped`, { ...c, proof: proof.map((p, j) => (j === i ? flipBit(p) : p)) }));
    bad("flip-root-m", "the older root with a bit flipped", { ...c, rootM: flipBit(rootM) });
    bad("flip-root-n", "the newer root with a bit flipped", { ...c, rootN: flipBit(rootN) });
    bad("wrong-m", `older size ${m + 1} claimed`, { ...c, m: m + 1 }, true);
    bad("wrong-n", `newer size ${n + 1} claimed`, { ...c, n: n + 1 }, true);
    bad("sizes-swapped", "the two sizes and roots swapped", { m: n, n: m, rootM: rootN, rootN: rootM, proof });
    bad("proof-truncated", "last proof element dropped", { ...c, proof: proof.slice(0, -1) });
    bad("proof-extended", "an extra proof element appended", { ...c, proof: [...proof, rootN] });
    bad("proof-not-hex", "a proof element in uppercase hex", { ...c, proof: [proof[0].toUpperCase(), ...proof.slice(1)] });
  }
}

// --- signers ---------------------------------------------------------------------------------

const key = (id: string, dept = "sz", status = "active"): SignerLeaf => ({ id, publicKey: testKey(id).publicKey, dept, status });
/** Canonical leaf text, spelled out here rather than taken from signers.ts. */
const leafText = (k: SignerLeaf) => `{"dept":${JSON.stringify(k.dept)},"id":${JSON.stringify(k.id)},"publicKey":"${k.publicKey}","status":${JSON.stringify(k.status)}}`;
const refSignersRoot = (keys: SignerLeaf[]) => refRoot(keys.map((k) => refLeafHash(toHex(utf8(leafText(k))))));

function signersVectors(set: VectorSet): void {
  const five = ["k.a", "k.b", "k.c", "sys", "k.tp"].map((id) => key(id));
  const roots: [name: string, desc: string, keys: SignerLeaf[], sorted: SignerLeaf[]][] = [
    ["root-empty", "no signer keys: SHA-256 of nothing", [], []],
    ["root-one", "one key", [five[0]], [five[0]]],
    ["root-unsorted", "keys come in any order; the tree holds them sorted by id (code-unit order: 'k.tp' after 'k.c', 'sys' last)", [five[3], five[4], five[1], five[0], five[2]], [five[0], five[1], five[2], five[4], five[3]]],
    ["root-duplicate-id", "a key listed twice counts once (the last listing)", [five[1], five[0], five[1]], [five[0], five[1]]],
    ["root-extra-fields", "fields beyond id, publicKey, dept and status do not count", [{ ...five[0], kind: "dept", reason: "x" } as SignerLeaf, five[1]], [five[0], five[1]]],
    ["root-upper-before-lower", "ids sort by code unit: 'K.z' before 'k.a'", [five[0], key("K.z")], [key("K.z"), five[0]]],
  ];
  for (const [name, desc, keys, sorted] of roots) {
    const root = refSignersRoot(sorted);
    expectSame(`signers/${name} leaves`, signerLeaves(keys), sorted);
    expectSame(`signers/${name} leaf texts`, sorted.map((k) => canonicalize(k)), sorted.map(leafText));
    expectSame(`signers/${name} root`, signersRoot(hasher, keys), root);
    add(set, "signers", name, { desc, kind: "root", keys, expected: { leaves: sorted, root } });
  }

  const sorted = signerLeaves(five);
  const root = refSignersRoot(sorted);
  for (const id of ["k.a", "k.tp", "sys"]) {
    const index = sorted.findIndex((k) => k.id === id);
    const proof: SignerProof = { leaf: sorted[index], index, size: sorted.length, path: refPath(index, sorted.map((k) => refLeafHash(toHex(utf8(leafText(k)))))) };
    expectSame(`signers proof ${id}`, signerProof(hasher, five, id), proof);
    add(set, "signers", `proof-${id}`, { desc: `proof of key ${id} among five`, kind: "proof", keys: five, id, expected: { proof } });
  }
  if (signerProof(hasher, five, "k.none") !== null) throw new Error("vector signers/proof-absent: a proof for a key not in the set");
  add(set, "signers", "proof-absent", { desc: "no proof for a key not in the set", kind: "proof", keys: five, id: "k.none", expected: { proof: null } });

  // Verifying a proof against the root, as a receipt's "signer key in block" check does.
  const p = signerProof(hasher, five, "k.tp")!;
  /** `ok` null: either verdict is right (a claimed size the path does not bind), recorded as found. */
  const verify = (name: string, desc: string, proof: SignerProof, ok: boolean | null) => {
    const run = () => verifyInclusion(hasher, proof.index, proof.size, signerLeafHash(hasher, proof.leaf), proof.path.map(fromHex), fromHex(root));
    let error: string | null = null;
    try {
      run();
    } catch (e) {
      error = errorText(e);
    }
    if (ok !== null && ok !== (error === null)) throw new Error(`vector signers/${name}: ${error ?? "verifies"}`);
    const why = ok === null && error === null ? ", and it still verifies: membership needs only the hashes to lead to the root; index and size say where" : "";
    add(set, "signers", why ? `${name}-passes` : name, { desc: desc + why, kind: "verify", root, proof, expected: error === null ? { ok: true } : { ok: false, error } });
  };
  verify("verify-valid", "key k.tp's proof verifies against the five keys' root", p, true);
  verify("verify-swapped-public-key", "the leaf's public key swapped for another key's", { ...p, leaf: { ...p.leaf, publicKey: testKey("k.other").publicKey } }, false);
  verify("verify-revoked", "the leaf's status changed to revoked", { ...p, leaf: { ...p.leaf, status: "revoked" } }, false);
  verify("verify-other-dept", "the leaf's department changed", { ...p, leaf: { ...p.leaf, dept: "tp" } }, false);
  verify("verify-other-leaf", "another key's leaf (k.c) with k.tp's path", { ...p, leaf: sorted[2] }, false);
  p.path.forEach((_, i) => verify(`verify-flip-path${i}`, `lowest bit of byte 0 of path[${i}] flipped`, { ...p, path: p.path.map((x, j) => (j === i ? flipBit(x) : x)) }, false));
  verify("verify-wrong-index", `index ${p.index - 1} claimed`, { ...p, index: p.index - 1 }, false);
  verify("verify-wrong-size-larger", `size ${p.size + 1} claimed`, { ...p, size: p.size + 1 }, null);
  verify("verify-wrong-size-smaller", `size ${p.size - 1} claimed`, { ...p, size: p.size - 1 }, null);
}

export function proofVectors(set: VectorSet): void {
  inclusionVectors(set);
  consistencyVectors(set);
  signersVectors(set);
}
