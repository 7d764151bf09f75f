/** The ledger end to end on PGlite and PostgreSQL: commits, rejections, append-only, verify, receipts, proofs. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fromHex, utf8 } from "../chain/bytes.js";
import { findAnchor, fileHash } from "../chain/anchor.js";
import { TxRejectedError } from "../chain/contracts/types.js";
import { canonicalize } from "../chain/encoding.js";
import { nodeSuite } from "../chain/node-crypto.js";
import { verifyConsistency, verifyInclusion } from "../chain/proof/verify.js";
import { verifyReceipt, type Receipt } from "../chain/receipt.js";
import { generateKeyPair, nobleSuite } from "../chain/signature.js";
import { encodeTx, signBatch } from "../chain/tx.js";
import { verifyLedger } from "../chain/verify.js";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db.js";
import { createTestLedger, type TestLedger } from "./helpers/ledger.js";

const anchor = (n: number) => ({ type: "file.anchor", dept: "tp", actor: "op", payload: { fileHash: n.toString(16).padStart(64, "0") } });

async function counts(t: TestDb) {
  const q = async (table: string) => Number((await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
  return { blocks: await q("ledger_blocks"), txs: await q("ledger_txs"), records: await q("state_records"), touches: await q("ledger_touches") };
}

describe.each(BACKENDS)("ledger on %s", (backend) => {
  let t: TestDb;
  let L: TestLedger;

  beforeAll(async () => {
    t = await openTestDb(backend);
    L = await createTestLedger(t.db);
  });
  afterAll(async () => {
    await L.node.close();
    await t.dispose();
  });

  /**
   * Verifies on this thread and, on PostgreSQL, with the worker thread (hashing writes roots there
   * too), the worker checking every block or taking over half-way: all must say the same.
   */
  async function verify() {
    const inline = await verifyLedger(L.node.store, { worker: false });
    if (backend === "postgres") {
      for (const handover of [0, Math.floor((L.node.height + 1) / 2)]) {
        const threaded = await verifyLedger(L.node.store, { worker: true, writesRoots: "worker", handover });
        expect({ ...threaded, ms: 0 }).toEqual({ ...inline, ms: 0 });
      }
    }
    return inline;
  }

  /**
   * A verify test, which may edit rows and then restores them in its `finally`. Vitest does not stop
   * a test it gives up on at its timeout, so the next such test starts only once that `finally` has run.
   */
  let edits: Promise<unknown> = Promise.resolve();
  function itVerifies(name: string, fn: () => Promise<void>) {
    it(name, async () => {
      const run = edits.then(fn);
      edits = run.catch(() => undefined);
      await run;
    });
  }

  it("commits concurrent transactions into shared blocks, in order, with their history", async () => {
    const before = L.node.height;
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => L.node.submit(anchor(1000 + i), "k.tp")));
    const heights = new Set(results.map((r) => r.height));
    expect(heights.size).toBeLessThan(300); // batched: many transactions share a block
    expect(Math.min(...heights)).toBeGreaterThan(before);
    const seqs = results.map((r) => r.seq).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(300);
    const rec = await L.node.store.record<{ actor: string; seq: number }>("anchor", (1000).toString(16).padStart(64, "0"));
    expect(rec?.value.actor).toBe("op");
    const hist = await L.node.store.history("user", "op");
    expect(hist.map((h) => h.type)).toEqual(["user.create"]);
  });

  it("tracks every transaction that touched a record", async () => {
    const c1 = await L.node.submit({ type: "user.update", dept: "sz", actor: "admin", payload: { id: "viewer", name: "查看员甲" } }, "no-such-key").catch((e) => e);
    expect(c1).toBeInstanceOf(TxRejectedError); // no such key in this node's keystore
    // A user acts only under a key of their own department.
    await expect(L.node.submit({ type: "user.update", dept: "sz", actor: "admin", payload: { id: "viewer", name: "x" } }, "k.tp")).rejects.toThrow(/key k\.tp does not sign for sz/);
    const u1 = await L.node.submit({ type: "user.update", dept: "tp", actor: "tpadmin", payload: { id: "viewer", name: "查看员甲" } }, "k.tp");
    const u2 = await L.node.submit({ type: "user.update", dept: "tp", actor: "tpadmin", payload: { id: "viewer", clearance: 2 } }, "k.tp");
    const hist = await L.node.store.history("user", "viewer");
    expect(hist.map((h) => h.hash)).toEqual([expect.any(String), u1.hash, u2.hash]);
    expect(hist[0].type).toBe("user.create");
    const rec = await L.node.store.record<{ name: string; clearance: number }>("user", "viewer");
    expect(rec?.value).toMatchObject({ name: "查看员甲", clearance: 2 });
  });

  it("rejects malformed, unknown, unauthorised, refused and replayed transactions with clear errors, writing nothing", async () => {
    const before = await counts(t);
    const cases: [object, RegExp, string][] = [
      [{ type: "file.anchor", dept: "tp", actor: "op", payload: { fileHash: "xyz" } }, /fileHash must be 64 lowercase hex/, "malformed"],
      [{ type: "file.anchor", dept: "tp", actor: "op", payload: { fileHash: "a".repeat(64), extra: 1 } }, /Unrecognized key/i, "malformed"],
      [{ type: "no.such", dept: "tp", actor: "op", payload: {} }, /unknown transaction type no\.such/, "unknown_type"],
      [{ type: "file.anchor", dept: "tp", actor: "viewer", payload: { fileHash: "b".repeat(64) } }, /role viewer may not submit file\.anchor/, "unauthorized"],
      [{ type: "file.anchor", dept: "tp", actor: "ghost", payload: { fileHash: "b".repeat(64) } }, /unknown actor ghost/, "unauthorized"],
      [{ type: "user.create", dept: "tp", actor: "tpadmin", payload: { id: "x1", dept: "sz", name: "X", role: "viewer", clearance: 1, credential: "scrypt$1$1$1$" + "0".repeat(32) + "$" + "0".repeat(128) } }, /manages only users of tp/, "refused"],
      [{ type: "file.anchor", dept: "tp", actor: "op", payload: { fileHash: (1000).toString(16).padStart(64, "0") } }, /already anchored by transaction #/, "refused"],
    ];
    for (const [input, msg, code] of cases) {
      const err = await L.node.submit(input as never, "k.tp").catch((e) => e);
      expect(err, JSON.stringify(input)).toBeInstanceOf(TxRejectedError);
      expect(err.message).toMatch(msg);
      expect(err.code).toBe(code);
    }
    // Replay: the same nonce from the same actor.
    const first = await L.node.submit({ ...anchor(5000), nonce: "replay-nonce-1" } as never, "k.tp");
    expect(first.seq).toBeGreaterThan(0);
    const afterFirst = await counts(t);
    const replay = await L.node.submit({ ...anchor(5001), nonce: "replay-nonce-1" } as never, "k.tp").catch((e) => e);
    expect(replay.code).toBe("replay");
    expect(replay.message).toMatch(/nonce replay-nonce-1 already used/);
    expect(await counts(t)).toEqual(afterFirst);
    expect(afterFirst.txs).toBe(before.txs + 1);
    // The same nonce twice in one block: the first in order is taken, the other refused.
    const pair = await Promise.allSettled([5002, 5003].map((n) => L.node.submit({ ...anchor(n), nonce: "replay-nonce-2" } as never, "k.tp")));
    expect(pair.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect((pair[1] as PromiseRejectedResult).reason.message).toMatch(/nonce replay-nonce-2 already used by op/);
  });

  it("rejects unsigned and wrongly signed batches, and transactions whose bytes do not match", async () => {
    const before = await counts(t);
    const h = nodeSuite.hasher;
    const mk = (n: number) => encodeTx(h, { chain: "test-chain", v: 1, nonce: `ext-nonce-${n}`, ts: Date.now(), ...anchor(9000 + n) } as never);
    const tx = mk(1);
    const good = signBatch(h, nodeSuite.signatures, "test-chain", "k.tp", L.deptKey.secretKey, [tx.hash]);

    const unsigned = await L.node.submitSignedBatch({ ...good, signature: "", texts: [tx.text] });
    expect(unsigned[0].status).toBe("rejected");
    expect((unsigned[0] as PromiseRejectedResult).reason.message).toMatch(/bad batch signature/);

    const other = generateKeyPair();
    const wrong = signBatch(h, nodeSuite.signatures, "test-chain", "k.tp", other.secretKey, [tx.hash]);
    const wrongRes = await L.node.submitSignedBatch({ ...wrong, texts: [tx.text] });
    expect((wrongRes[0] as PromiseRejectedResult).reason.code).toBe("bad_signature");

    const unknown = await L.node.submitSignedBatch({ ...signBatch(h, nodeSuite.signatures, "test-chain", "k.nobody", other.secretKey, [tx.hash]), texts: [tx.text] });
    expect((unknown[0] as PromiseRejectedResult).reason.message).toMatch(/unknown signer k\.nobody/);

    const tampered = await L.node.submitSignedBatch({ ...good, texts: [tx.text.replace("op", "tpadmin")] });
    expect((tampered[0] as PromiseRejectedResult).reason.message).toMatch(/hash does not match/);

    const foreign = encodeTx(h, { chain: "other-chain", v: 1, nonce: "ext-nonce-x", ts: Date.now(), ...anchor(9100) } as never);
    const fres = await L.node.submitSignedBatch({ ...signBatch(h, nodeSuite.signatures, "test-chain", "k.tp", L.deptKey.secretKey, [foreign.hash]), texts: [foreign.text] });
    expect((fres[0] as PromiseRejectedResult).reason.message).toMatch(/for chain other-chain/);

    const nonCanonical = ' {"x":1}';
    const nres = await L.node.submitSignedBatch({ ...signBatch(h, nodeSuite.signatures, "test-chain", "k.tp", L.deptKey.secretKey, [h.hashLeaf(utf8(nonCanonical)).reduce((s, b) => s + b.toString(16).padStart(2, "0"), "")]), texts: [nonCanonical] });
    expect((nres[0] as PromiseRejectedResult).reason.code).toBe("malformed");

    expect(await counts(t)).toEqual(before);

    // The correctly signed one, submitted from outside, is accepted.
    const ok = await L.node.submitSignedBatch({ ...good, texts: [tx.text] });
    expect(ok[0].status).toBe("fulfilled");
  });

  it("refuses direct UPDATE, DELETE and TRUNCATE on every ledger table", async () => {
    for (const table of ["ledger_blocks", "ledger_txs", "ledger_batches", "ledger_block_signatures", "ledger_touches"]) {
      await expect(t.db.query(`UPDATE ${table} SET height = height`.replace("height = height", table === "ledger_touches" ? "seq = seq" : "height = height"))).rejects.toThrow(/append-only: UPDATE refused/);
      await expect(t.db.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only: DELETE refused/);
      await expect(t.db.query(`TRUNCATE ${table}`)).rejects.toThrow(/append-only/);
    }
  });

  it("produces receipts that verify offline (noble and node:crypto) and fail when any part changes", async () => {
    // Submitted in one tick, so they share a block: the receipt's inclusion path is not empty and every proof edit below runs.
    const cs = await Promise.all([7777, 7778, 7779, 7780, 7781].map((n) => L.node.submit(anchor(n), "k.tp")));
    expect(new Set(cs.map((x) => x.height)).size).toBe(1);
    const receipt = (await L.node.receipt(cs[2].hash))!;
    const json = JSON.parse(JSON.stringify(receipt)) as Receipt;
    expect(json.proof.size).toBeGreaterThanOrEqual(5);
    expect(json.proof.path.length).toBeGreaterThanOrEqual(3);
    const pinned = { nodes: { n1: L.nodeKey.publicKey }, quorum: 1 };
    expect(verifyReceipt(nobleSuite, json, pinned).ok).toBe(true);
    // Unpinned, a self-consistent receipt is unanchored, never ok.
    expect(verifyReceipt(nodeSuite, json, null)).toMatchObject({ ok: false, verdict: "unanchored" });

    const mutate = (fn: (r: Receipt) => void) => {
      const r = structuredClone(json);
      fn(r);
      return verifyReceipt(nodeSuite, r, pinned);
    };
    expect(mutate((r) => (r.tx.text = r.tx.text.replace('"op"', '"tpadmin"'))).checks.find((x) => !x.ok)?.name).toBe("transaction hash");
    expect(mutate((r) => (r.block.header.time += 1)).ok).toBe(false);
    expect(mutate((r) => (r.block.signatures[0].signature = "00".repeat(64))).ok).toBe(false);
    expect(mutate((r) => (r.batch.signature = r.batch.signature.replace(/^./, (ch) => (ch === "a" ? "b" : "a")))).ok).toBe(false);
    for (let i = 0; i < json.proof.path.length; i++) {
      const flipped = mutate((r) => (r.proof.path[i] = r.proof.path[i].replace(/^./, (ch) => (ch === "a" ? "b" : "a"))));
      expect(flipped.checks.filter((x) => !x.ok).map((x) => x.name)).toEqual(["inclusion proof"]);
    }
    // Keys from a different ledger (not pinned to the real node) are refused.
    expect(verifyReceipt(nodeSuite, json, { nodes: { n1: generateKeyPair().publicKey }, quorum: 1 }).ok).toBe(false);
  });

  it("gives consistency proofs between ledger sizes and block inclusion proofs", () => {
    const size = L.node.height + 1;
    for (const m of [1, 2, Math.floor(size / 2), size - 1]) {
      const p = L.node.consistencyProof(m, size);
      expect(() => verifyConsistency(nodeSuite.hasher, m, size, fromHex(p.root1), fromHex(p.root2), p.path.map(fromHex))).not.toThrow();
    }
    expect(() => L.node.consistencyProof(1, size + 5)).toThrow(/exceeds ledger size/);
  });

  it("anchors an off-chain file and later tells the same file from a changed one", async () => {
    const file = utf8("事故现场照片 bytes…" + "x".repeat(1000));
    const hash = fileHash(nodeSuite.hasher, file);
    await L.node.submit({ type: "file.anchor", dept: "tp", actor: "op", payload: { fileHash: hash, name: "scene.jpg", size: file.length, mime: "image/jpeg" } }, "k.tp");
    expect((await findAnchor(L.node.store, nodeSuite.hasher, file))?.name).toBe("scene.jpg");
    const changed = file.slice();
    changed[10] ^= 1;
    expect(await findAnchor(L.node.store, nodeSuite.hasher, changed)).toBeNull();
  });

  itVerifies("verify replays everything and passes on an untouched ledger", async () => {
    await L.node.drain();
    const r = await verify();
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.blocks).toBe(L.node.height + 1);
    expect(r.txs).toBe(L.node.txCount);
    expect(r.records).toBeGreaterThan(300);
    if (backend === "postgres") {
      // As the auditor runs it: this thread checks blocks until the worker is up, whenever that is.
      const threaded = await verifyLedger(L.node.store, { worker: true });
      expect({ ...threaded, ms: 0 }).toEqual({ ...r, ms: 0 });
    }
  });

  itVerifies("verify pinpoints a direct edit of a state table row", async () => {
    const key = (1001).toString(16).padStart(64, "0");
    const original = (await t.db.query<{ value: string }>("SELECT value::text AS value FROM state_records WHERE ns = 'anchor' AND key = $1", [key])).rows[0].value;
    try {
      await t.db.query(`UPDATE state_records SET value = jsonb_set(value::jsonb, '{actor}', '"tpadmin"')::json WHERE ns = 'anchor' AND key = $1`, [key]);
      const r = await verify();
      expect(r.ok).toBe(false);
      expect(r.error!.at).toMatchObject({ table: "state_records", ns: "anchor", key });
      expect(r.error!.message).toMatch(/differs from the ledger/);
      await t.db.query("UPDATE state_records SET value = $2::json WHERE ns = 'anchor' AND key = $1", [key, original]);

      await t.db.query("INSERT INTO state_records (ns, key, value, seq) VALUES ('user', 'intruder', '{}'::json, 1)");
      const r2 = await verify();
      expect(r2.error!.message).toMatch(/\(user, intruder\) exists but no transaction wrote it/);
    } finally {
      await t.db.query("UPDATE state_records SET value = $2::json WHERE ns = 'anchor' AND key = $1", [key, original]);
      await t.db.query("DELETE FROM state_records WHERE ns = 'user' AND key = 'intruder'");
    }
    expect((await verify()).ok).toBe(true);
  });

  itVerifies("verify takes a projection row holding the same value in another rendering (rows stored before the column kept text)", async () => {
    const key = (1003).toString(16).padStart(64, "0");
    const text = async () => (await t.db.query<{ v: string }>("SELECT value::text AS v FROM state_records WHERE ns = 'anchor' AND key = $1", [key])).rows[0].v;
    const canonical = await text();
    expect(canonical).toMatch(/^\{"actor":"op","dept":"tp","fileHash":"0+3eb","seq":\d+,"time":\d+\}$/); // the ledger's own bytes
    try {
      await t.db.query("UPDATE state_records SET value = value::jsonb::json WHERE ns = 'anchor' AND key = $1", [key]);
      expect(await text()).not.toBe(canonical); // jsonb's rendering: other key order, spaces
      expect((await verify()).ok).toBe(true);
    } finally {
      await t.db.query("UPDATE state_records SET value = $2::json WHERE ns = 'anchor' AND key = $1", [key, canonical]);
    }
  });

  itVerifies("verify names a missing, duplicated or re-attributed projection row and any edit of the record history", async () => {
    const key = (1002).toString(16).padStart(64, "0");
    const stored = (await t.db.query<{ value: string; seq: number }>("SELECT value::text AS value, seq FROM state_records WHERE ns = 'anchor' AND key = $1", [key])).rows[0];
    const expectFailure = async (message: RegExp, at: object) => {
      const r = await verify();
      expect(r.ok).toBe(false);
      expect(r.error!.message).toMatch(message);
      expect(r.error!.at).toMatchObject(at);
    };
    const editTouches = async (sql: string, params: unknown[] = []) => {
      await t.db.query("ALTER TABLE ledger_touches DISABLE TRIGGER ledger_touches_append_only");
      try {
        await t.db.query(sql, params);
      } finally {
        await t.db.query("ALTER TABLE ledger_touches ENABLE TRIGGER ledger_touches_append_only");
      }
    };

    try {
      await t.db.query("DELETE FROM state_records WHERE ns = 'anchor' AND key = $1", [key]);
      await expectFailure(/state_records row \(anchor, 0+3ea\) is missing \(last written by transaction #\d+\)/, { table: "state_records", ns: "anchor", key, seq: stored.seq });
      await t.db.query("INSERT INTO state_records (ns, key, value, seq) VALUES ('anchor', $1, $2::json, $3)", [key, stored.value, stored.seq + 1]);
      await expectFailure(/says last writer #\d+, the ledger says #\d+/, { table: "state_records", ns: "anchor", key, seq: stored.seq });
      await t.db.query("UPDATE state_records SET seq = $2 WHERE ns = 'anchor' AND key = $1", [key, stored.seq]);
      // The same row twice (possible only once the primary key is dropped).
      await t.db.query("ALTER TABLE state_records DROP CONSTRAINT state_records_ns_key_pk");
      await t.db.query("INSERT INTO state_records (ns, key, value, seq) VALUES ('anchor', $1, $2::json, $3)", [key, stored.value, stored.seq]);
      await expectFailure(/\(anchor, 0+3ea\) is stored twice/, { table: "state_records", ns: "anchor", key });
      await restoreProjection();

      // The history: a row removed, a row added for a transaction that did not write the record.
      await editTouches("DELETE FROM ledger_touches WHERE ns = 'anchor' AND key = $1", [key]);
      await expectFailure(/ledger_touches row \(#\d+, anchor, 0+3ea\) is missing/, { table: "ledger_touches", ns: "anchor", key, seq: stored.seq });
      await editTouches("INSERT INTO ledger_touches (ns, key, seq) VALUES ('anchor', $1, $2), ('user', 'op', $2)", [key, stored.seq]);
      await expectFailure(/ledger_touches row \(#\d+, user, op\) does not match the replay/, { table: "ledger_touches", ns: "user", key: "op", seq: stored.seq });
      await editTouches("DELETE FROM ledger_touches WHERE ns = 'user' AND key = 'op' AND seq = $1", [stored.seq]);
      await editTouches("INSERT INTO ledger_touches (ns, key, seq) VALUES ('anchor', 'no-such-file', $1)", [stored.seq]);
      await expectFailure(/ledger_touches row \(#\d+, anchor, no-such-file\) does not match the replay/, { table: "ledger_touches", key: "no-such-file" });
    } finally {
      // Whichever step failed: the row as stored under its primary key, the history as written.
      await restoreProjection();
      await editTouches("DELETE FROM ledger_touches WHERE seq = $1 AND ((ns = 'user' AND key = 'op') OR (ns = 'anchor' AND key IN ($2, 'no-such-file')))", [stored.seq, key]);
      await editTouches("INSERT INTO ledger_touches (ns, key, seq) VALUES ('anchor', $1, $2)", [key, stored.seq]);
    }
    expect((await verify()).ok).toBe(true);

    async function restoreProjection() {
      await t.db.query("DELETE FROM state_records WHERE ns = 'anchor' AND key = $1", [key]);
      await t.db.query("INSERT INTO state_records (ns, key, value, seq) VALUES ('anchor', $1, $2::json, $3)", [key, stored.value, stored.seq]);
      const pk = await t.db.query("SELECT 1 FROM pg_constraint WHERE conname = 'state_records_ns_key_pk'");
      if (!pk.rows.length) await t.db.query("ALTER TABLE state_records ADD CONSTRAINT state_records_ns_key_pk PRIMARY KEY (ns, key)");
    }
  });

  itVerifies("verify pinpoints a forged transaction body even when an attacker disables the triggers", async () => {
    const tx = await L.node.submit(anchor(8888), "k.tp");
    await L.node.drain();
    const row = (await t.db.query<{ body: string; seq: number; height: number }>("SELECT body, seq, height FROM ledger_txs WHERE hash = $1", [tx.hash])).rows[0];
    const time = (await t.db.query<{ time: string }>("SELECT time::text AS time FROM ledger_blocks WHERE height = $1", [row.height])).rows[0].time;
    const asAttacker = async (table: string, sql: string, params: unknown[]) => {
      await t.db.query(`ALTER TABLE ${table} DISABLE TRIGGER ${table}_append_only`);
      try {
        await t.db.query(sql, params);
      } finally {
        await t.db.query(`ALTER TABLE ${table} ENABLE TRIGGER ${table}_append_only`);
      }
    };
    const setBody = (body: string) => asAttacker("ledger_txs", "UPDATE ledger_txs SET body = $1 WHERE hash = $2", [body, tx.hash]);
    const setTime = (ms: string) => asAttacker("ledger_blocks", "UPDATE ledger_blocks SET time = $1::bigint WHERE height = $2", [ms, row.height]);
    try {
      await setBody(canonicalize({ ...JSON.parse(row.body), actor: "tpadmin" }));
      const r = await verify();
      expect(r.ok).toBe(false);
      expect(r.error!.at).toMatchObject({ height: row.height, seq: row.seq, table: "ledger_txs" });
      expect(r.error!.message).toMatch(/hash does not match/);
      // A body that is still JSON but not canonical (a raw newline): named exactly as well.
      await setBody(row.body.replace(",", ",\n"));
      const rn = await verify();
      expect(rn.error!.at).toMatchObject({ height: row.height, seq: row.seq, table: "ledger_txs" });
      expect(rn.error!.message).toMatch(/hash does not match/);
      await setBody(row.body);

      // A block header column edited: caught as a header/column mismatch at that height.
      await setTime(String(Number(time) + 1));
      const r2 = await verify();
      expect(r2.error!.at).toMatchObject({ height: row.height, table: "ledger_blocks" });
    } finally {
      await setBody(row.body);
      await setTime(time);
    }
    expect((await verify()).ok).toBe(true);
  });
});

describe("catch-up against a quorum's hash", () => {
  it("a refused message makes no block and leaves the expected hash to the next one, unless it had to be that block", async () => {
    const t = await openTestDb("pglite");
    try {
      const L = await createTestLedger(t.db);
      await L.node.drain();
      const h = nodeSuite.hasher;
      const forged = encodeTx(h, { chain: "test-chain", v: 1, nonce: "forged-nonce-1", ts: Date.now(), ...anchor(7001) } as never);
      const forgedBatch = { ...signBatch(h, nodeSuite.signatures, "test-chain", "k.tp", generateKeyPair().secretKey, [forged.hash]), texts: [forged.text] };
      const before = L.node.height;
      const message = { order: 1, time: Date.now(), proposer: "n1", batches: [forgedBatch], expectHash: "ab".repeat(32) };
      // Read from the order: the forged cut is refused here as on every node, and makes no block.
      await expect(L.node.applyOrdered({ ...message, mayMakeNoBlock: true })).resolves.toBeNull();
      // Served by a peer as a block: it had to make that block, so the ledger stops, naming the refusal.
      await expect(L.node.applyOrdered({ ...message, order: 2 })).rejects.toThrow(/hashes to \(no block\), but a quorum signed .*first refusal: bad batch signature/);
      // A message that makes a block must still hash to what the quorum signed.
      const genuine = encodeTx(h, { chain: "test-chain", v: 1, nonce: "genuine-nonce-1", ts: Date.now(), ...anchor(7002) } as never);
      const genuineBatch = { ...signBatch(h, nodeSuite.signatures, "test-chain", "k.tp", L.deptKey.secretKey, [genuine.hash]), texts: [genuine.text] };
      await expect(L.node.applyOrdered({ ...message, order: 3, batches: [genuineBatch], mayMakeNoBlock: true })).rejects.toThrow(/but a quorum signed/);
      expect(L.node.height).toBe(before);
      await L.node.close();
    } finally {
      await t.dispose();
    }
  });
});

describe("determinism", () => {
  it("the same ordered input gives the same block hashes on PGlite and PostgreSQL", async () => {
    const dbs = await Promise.all(BACKENDS.map((b) => openTestDb(b)));
    try {
      const { BlockExecutor } = await import("../chain/engine.js");
      const { LedgerStore } = await import("../chain/store/ledger-store.js");
      const { defaultRegistry } = await import("../chain/contracts/index.js");
      // Build a ledger on the first database, then re-execute its blocks against the second.
      const L = await createTestLedger(dbs[0].db);
      await Promise.all(Array.from({ length: 50 }, (_, i) => L.node.submit(anchor(i), "k.tp")));
      await L.node.drain();
      const src = L.node.store;
      const dst = new LedgerStore(dbs[1].db);
      const exec = new BlockExecutor(nodeSuite, defaultRegistry);
      for (const b of await src.blockRange(0, 1000)) {
        const header = JSON.parse(b.row.header);
        const byHash = new Map(b.txs.map((x) => [x.hash, x.body]));
        const res = await exec.execute({ ...header, batches: b.batches.map((x) => ({ ...x, texts: x.txHashes.map((h) => byHash.get(h) ?? null) })) }, dst);
        expect(res.hash).toBe(b.row.hash);
        await dst.appendBlock(res, b.signatures);
      }
      expect((await verifyLedger(dst)).ok).toBe(true);
      await L.node.close();
    } finally {
      await Promise.all(dbs.map((d) => d.dispose()));
    }
  });
});

void verifyInclusion;
