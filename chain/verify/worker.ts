/**
 * The auditor's second thread: once up, takes over from the replay's thread checking stored blocks
 * (from the block it hands over), reads and checks them ahead of the replay (a few pages ahead, no
 * more), posts them decoded, and checks the writes of the replayed blocks whose writes roots the
 * replay left to it as they come back (verify/effects.ts). See worker-feed.ts for the other side.
 */
import { parentPort, workerData } from "node:worker_threads";
import { defaultRegistry } from "../contracts/index.js";
import { nodeSuite } from "../node-crypto.js";
import { openDatabase } from "../store/db.js";
import { LedgerIntegrityError, LedgerStore } from "../store/ledger-store.js";
import { EffectsAudit } from "./effects.js";
import { checkedPages, StoredBlockChecker, toWire, type CheckerPosition } from "./stored-blocks.js";
import type { FromMain, ToMain } from "./worker-feed.js";

const port = parentPort!;
const { url, pageSize, pagesAhead } = workerData as { url: string; pageSize?: number; pagesAhead: number };
const post = (m: ToMain) => port.postMessage(m);

const effects = new EffectsAudit(nodeSuite.hasher);
/** The first block whose effects failed their check; later ones are not checked. */
let blockFailure: LedgerIntegrityError | null = null;
let credits = pagesAhead;
let wake: (() => void) | null = null;
let finish!: () => void;
const finishing = new Promise<void>((r) => (finish = r));
let start!: (from: CheckerPosition | null) => void;
const starting = new Promise<CheckerPosition | null>((r) => (start = r));
port.on("message", (m: FromMain) => {
  if (m.kind === "start") start(m.from);
  else if (m.kind === "credit") {
    credits++;
    wake?.();
  } else if (m.kind === "effects") {
    if (blockFailure) return;
    try {
      effects.apply(m.effects);
    } catch (e) {
      if (!(e instanceof LedgerIntegrityError)) throw e;
      blockFailure = e;
    }
  } else if (m.kind === "settle") post({ kind: "settled", ...(blockFailure ? { failure: { message: blockFailure.message, at: blockFailure.at } } : {}) });
  else finish();
});

const db = await openDatabase({ url, readOnly: true });
try {
  const store = new LedgerStore(db);
  post({ kind: "ready" });
  const from = await starting;
  if (from) {
    for await (const page of checkedPages(store, new StoredBlockChecker(nodeSuite, defaultRegistry, from), pageSize)) {
      while (credits === 0) await new Promise<void>((r) => (wake = r));
      credits--;
      post({ kind: "page", blocks: page.map(toWire) });
    }
    post({ kind: "end" });
  }
  await finishing;
  port.close(); // told to end: the thread ends
} catch (e) {
  // Stays up (the port keeps it alive) to settle the effects still coming: main stops it.
  if (e instanceof LedgerIntegrityError) post({ kind: "fail", message: e.message, at: e.at });
  else post({ kind: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
} finally {
  await db.close();
}
