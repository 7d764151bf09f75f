/**
 * cityledger CLI — the auditor's tools. Reads the database directly (DATABASE_URL for PostgreSQL,
 * else the embedded PGlite under CITYLEDGER_DATA_DIR, default .data). Stop the app first when it
 * runs on PGlite: an embedded database has one owner at a time.
 *
 *   verify [--expect-height N] [--receipt FILE] [--reference] [--json]   re-derive the whole ledger read-only; exit 1 and name the first bad row.
 *                               --reference runs the reference auditor (chain/audit: one thread, plain, slower)
 *                               --expect-height pins the tip: without a pin, losing the newest blocks cannot be seen;
 *                               --receipt pins a saved receipt's block (same hash at its height, tip at least there)
 *   verify-receipt FILE [--nodes NODES.json]   check a receipt offline against pinned node keys and quorum
 *                               ({"nodes": {"id": "pubkey"}, "quorum": n}; a bare {"id": "pubkey"} needs a strict majority);
 *                               without pinned keys a consistent receipt is UNANCHORED (exit 3), never OK
 *   consistency --from M --to N  print a proof (JSON) that block N's history extends block M's, with both signed headers
 *   verify-consistency FILE [--nodes NODES.json]   check such a proof offline: exit 0 consistent, 1 not, 3 unanchored
 *   check-file FILE             is this exact file anchored on the ledger?
 *   history NS KEY              every transaction that wrote a record
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { findAnchor, fileHash } from "./anchor.js";
import { nodeSuite } from "./node-crypto.js";
import { isBareNodesFile, parseNodePin, type NodePin } from "./node-pin.js";
import { verifyReceipt, type Receipt } from "./receipt.js";
import { openDatabase } from "./store/db.js";
import { LedgerStore } from "./store/ledger-store.js";
import { verifyLedger } from "./verify.js";
import type { Auditor } from "./audit/auditor.js";
import { auditLedger } from "./audit/reference.js";
import { verifyConsistencyBundle, type ConsistencyBundle } from "./consistency.js";
import { loadConsistencyBundle } from "./consistency-store.js";
import { z } from "zod";

class NoLedger extends Error {}

/** The audited database, opened read-only: an auditor's tool never migrates or writes what it checks. */
async function openStore(): Promise<LedgerStore> {
  const url = process.env.DATABASE_URL;
  const dataDir = join(process.env.CITYLEDGER_DATA_DIR ?? ".data", "pglite");
  if (!url && !existsSync(dataDir)) throw new NoLedger(`no ledger: there is no embedded database at ${dataDir}`);
  const db = await openDatabase(url ? { url, readOnly: true } : { dataDir, readOnly: true });
  const { rows } = await db.query<{ t: string | null }>("SELECT to_regclass('ledger_blocks')::text AS t");
  if (!rows[0]?.t) {
    await db.close();
    throw new NoLedger(`no ledger: ${url ? "this database" : dataDir} has no ledger tables`);
  }
  return new LedgerStore(db);
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const provenBlockSchema = z.object({ hash: hex64, header: z.object({ height: z.number().int().nonnegative(), chain: z.string(), historyRoot: hex64 }).passthrough(), signatures: z.array(z.object({ signer: z.string(), signature: z.string() })) });
const consistencyBundleSchema = z.object({
  format: z.string(),
  chain: z.string(),
  from: provenBlockSchema,
  to: provenBlockSchema,
  proof: z.array(hex64),
  fromInclusion: z.array(hex64),
  keys: z.object({ nodes: z.array(z.object({ id: z.string(), publicKey: z.string() })), quorum: z.number().int() }),
});

const receiptPinSchema = z.object({
  block: z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/), header: z.object({ height: z.number().int().nonnegative() }).passthrough() }).passthrough(),
}).passthrough();

/** The block a saved receipt vouches for, once the receipt is self-consistent (its header hashes to its block hash). */
function receiptPin(file: string): { height: number; hash: string } {
  const raw = JSON.parse(readFileSync(file, "utf8")) as unknown;
  const parsed = receiptPinSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`--receipt ${file}: not a receipt (${parsed.error.issues[0]?.message})`);
  // Self-consistency is what counts here: verify then checks the block against the ledger's own node keys.
  const res = verifyReceipt(nodeSuite, raw as Receipt, null);
  const bad = res.checks.find((c) => !c.ok);
  if (bad) throw new Error(`--receipt ${file}: receipt invalid: ${bad.name}${bad.detail ? `: ${bad.detail}` : ""}`);
  return { height: parsed.data.block.header.height, hash: parsed.data.block.hash };
}

/** The auditor's pinned node keys and quorum (--nodes), with a line saying which quorum applies. */
function readNodePin(file: string | undefined): { pin: NodePin; note: string } | null {
  if (!file) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`--nodes ${file}: 无法读取节点文件 cannot read the nodes file: ${(e as Error).message}`);
  }
  try {
    const pin = parseNodePin(raw);
    const n = Object.keys(pin.nodes).length;
    return { pin, note: `pinned: ${n} node key(s), quorum ${pin.quorum}${isBareNodesFile(raw as object) ? " (the nodes file names none: a strict majority)" : ""}` };
  } catch (e) {
    throw new Error(`--nodes ${file}: ${(e as Error).message}`);
  }
}

function printChecks(res: { checks: { name: string; ok: boolean; detail?: string }[] }): void {
  for (const c of res.checks) console.log(`${c.ok ? "ok  " : "FAIL"} ${c.name}${c.detail ? `: ${c.detail}` : ""}`);
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...args] = argv;
  switch (cmd) {
    case "verify": {
      // The replay keeps every record while it allocates fast: a larger young generation means fewer
      // scavenges copying what lives (64 MB against the default: verify ~10% faster, measured).
      setFlagsFromString("--max-semi-space-size=64");
      const expectRaw = flag(args, "--expect-height");
      const expectHeight = expectRaw === undefined ? undefined : Number(expectRaw);
      if (expectHeight !== undefined && !(Number.isInteger(expectHeight) && expectHeight >= 0)) throw new Error("--expect-height takes a block height (0, 1, 2, …)");
      const receiptFile = flag(args, "--receipt");
      const pin = receiptFile ? receiptPin(receiptFile) : undefined;
      const store = await openStore();
      let last = 0;
      const reference = args.includes("--reference");
      const audit: Auditor = reference ? auditLedger : verifyLedger;
      const r = await audit(store, {
        pin,
        onProgress: (h, txs) => {
          if (process.stderr.isTTY && Date.now() - last > 500) {
            last = Date.now();
            process.stderr.write(`\rverifying… block ${h}, ${txs} transactions`);
          }
        },
      });
      if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
      await store.db.close();
      if (args.includes("--json")) console.log(JSON.stringify(r));
      if (r.ok && r.blocks === 0) {
        console.error("VERIFY FAILED: no ledger: the database holds no block");
        return 1;
      }
      if (r.ok && expectHeight !== undefined && r.blocks - 1 !== expectHeight) {
        console.error(`VERIFY FAILED: the tip is block ${r.blocks - 1}, the pinned tip is block ${expectHeight}` + (r.blocks - 1 < expectHeight ? " (newest blocks are missing)" : ""));
        return 1;
      }
      if (r.ok && pin && r.blocks - 1 < pin.height) {
        console.error(`VERIFY FAILED: the tip is block ${r.blocks - 1}, the receipt is in block ${pin.height} (newest blocks are missing)`);
        return 1;
      }
      if (!r.ok) {
        console.error(`VERIFY FAILED: ${r.error!.message}`);
        console.error(`  at ${JSON.stringify(r.error!.at)}`);
        return 1;
      }
      const rate = r.ms > 0 ? Math.round((r.txs / r.ms) * 1000) : r.txs;
      console.log(
        `ledger OK${reference ? " (reference auditor)" : ""}: chain ${r.chain}, ${r.blocks} blocks, ${r.txs} transactions, ${r.records} state records, ${r.touches} history rows; ` +
          `every hash, Merkle root, signature and link recomputed, state replayed and compared in ${r.ms} ms (${rate} tx/s). head ${r.headHash}`,
      );
      if (pin) console.log(`pinned: block ${pin.height} is the receipt's block ${pin.hash}`);
      if (expectHeight === undefined && !pin) {
        console.warn("warning: the tip is not pinned (--expect-height): deleting the newest whole blocks would not be detected");
      }
      return 0;
    }
    case "verify-receipt": {
      const file = args[0];
      if (!file) throw new Error("usage: verify-receipt FILE [--nodes NODES.json]");
      const receipt = JSON.parse(readFileSync(file, "utf8")) as Receipt;
      const pinned = readNodePin(flag(args, "--nodes"));
      const res = verifyReceipt(nodeSuite, receipt, pinned?.pin ?? null);
      if (pinned) console.log(pinned.note);
      printChecks(res);
      if (res.verdict === "invalid") {
        console.log("RECEIPT INVALID");
        return 1;
      }
      if (res.verdict === "unanchored") {
        // Self-consistent, but whoever made it could have made the keys too: only pinned node keys anchor it.
        console.log(`RECEIPT UNANCHORED: the proof is consistent, but its keys are not pinned; pass --nodes with the nodes' public keys`);
        return 3;
      }
      console.log(`receipt OK: transaction ${receipt.tx?.hash} in block ${receipt.block?.header?.height}`);
      return 0;
    }
    case "consistency": {
      const from = Number(flag(args, "--from"));
      const to = Number(flag(args, "--to"));
      if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to)) throw new Error("usage: consistency --from M --to N (block heights, M <= N)");
      const store = await openStore();
      try {
        console.log(JSON.stringify(await loadConsistencyBundle(store, nodeSuite.hasher, from, to), null, 2));
      } finally {
        await store.db.close();
      }
      return 0;
    }
    case "verify-consistency": {
      const file = args[0];
      if (!file) throw new Error("usage: verify-consistency FILE [--nodes NODES.json]");
      const parsed = consistencyBundleSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
      if (!parsed.success) {
        console.log(`FAIL format: ${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message}`);
        console.log("CONSISTENCY INVALID");
        return 1;
      }
      const bundle = parsed.data as unknown as ConsistencyBundle;
      const pinned = readNodePin(flag(args, "--nodes"));
      const res = verifyConsistencyBundle(nodeSuite, bundle, pinned?.pin ?? null);
      if (pinned) console.log(pinned.note);
      printChecks(res);
      if (res.verdict === "invalid") {
        console.log("CONSISTENCY INVALID");
        return 1;
      }
      if (res.verdict === "unanchored") {
        console.log(`CONSISTENCY UNANCHORED: the proof is consistent, but its keys are not pinned; pass --nodes with the nodes' public keys`);
        return 3;
      }
      console.log(`consistent: block ${bundle.to.header.height} extends the history through block ${bundle.from.header.height}`);
      return 0;
    }
    case "check-file": {
      const file = args[0];
      if (!file) throw new Error("usage: check-file FILE");
      const bytes = new Uint8Array(readFileSync(file));
      const store = await openStore();
      const a = await findAnchor(store, nodeSuite.hasher, bytes);
      await store.db.close();
      if (!a) {
        console.log(`NOT ANCHORED: sha256 ${fileHash(nodeSuite.hasher, bytes)} is not on the ledger (file unknown or changed)`);
        return 1;
      }
      console.log(`anchored: sha256 ${a.fileHash} by ${a.actor} (${a.dept}) in transaction #${a.seq} at ${new Date(a.time).toISOString()}`);
      return 0;
    }
    case "history": {
      const [ns, key] = args;
      if (!ns || !key) throw new Error("usage: history NS KEY");
      const store = await openStore();
      const txs = await store.history(ns, key);
      await store.db.close();
      for (const t of txs) console.log(`#${t.seq}\tblock ${t.height}\t${new Date(t.ts).toISOString()}\t${t.type}\t${t.dept}/${t.actor}\t${t.hash}`);
      if (!txs.length) console.log(`no transaction wrote ${ns}/${key}`);
      return 0;
    }
    default:
      console.error("usage: cityledger <verify [--expect-height N] [--receipt FILE] [--reference] [--json] | verify-receipt FILE [--nodes NODES.json] | consistency --from M --to N | verify-consistency FILE [--nodes NODES.json] | check-file FILE | history NS KEY>");
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof NoLedger) {
      console.error(`VERIFY FAILED: ${e.message}`);
      process.exit(1);
    }
    console.error(`error: ${(e as Error).message}`);
    process.exit(2);
  },
);
