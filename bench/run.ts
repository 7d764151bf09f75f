/** `npm run bench`: one JSON object per line, each with a "bench" name and its figures. */
import { benchBigscreen } from "./bigscreen.js";
import { benchCluster } from "./cluster.js";
import { benchDispatch } from "./dispatch.js";
import { benchIdentity } from "./identity.js";
import { benchIngest } from "./ingest.js";
import { benchCommit, benchProofs, benchReferenceVerify, benchVerify } from "./ledger.js";

const only = process.argv[2];
const want = (name: string) => !only || name.startsWith(only);
const TOTAL = Number(process.env.BENCH_TXS ?? 100_000);

if (want("ledger")) {
  const pg = await benchCommit("postgres", TOTAL);
  await benchVerify(pg.L);
  await benchReferenceVerify(pg.L);
  await benchProofs(pg.L);
  await pg.L.node.close();
  await pg.dispose();
  const lite = await benchCommit("pglite", Math.min(TOTAL, 50_000));
  await lite.L.node.close();
  await lite.dispose();
}

if (want("ingest")) await benchIngest();

if (want("bigscreen")) await benchBigscreen();

if (want("dispatch")) await benchDispatch();

if (want("identity")) await benchIdentity();

if (want("cluster")) await benchCluster();
