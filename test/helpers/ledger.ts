/** A ready ledger for tests: genesis, one department, users of several roles, all as real transactions. */
import { generateKeyPair, type KeyPair } from "../../chain/signature.js";
import { genesisTx } from "../../chain/genesis.js";
import { LedgerNode } from "../../chain/node.js";
import type { Database } from "../../chain/store/db.js";
import type { ContractRegistry } from "../../chain/contracts/index.js";

export const CREDENTIAL = "scrypt$16384$8$1$" + "0".repeat(32) + "$" + "1".repeat(128);

export interface TestLedger {
  node: LedgerNode;
  nodeKey: KeyPair;
  systemKey: KeyPair;
  deptKey: KeyPair;
  keystore: Map<string, string>;
}

export interface TestKeys {
  nodeKey: KeyPair;
  systemKey: KeyPair;
  deptKey: KeyPair;
}

export const newTestKeys = (): TestKeys => ({ nodeKey: generateKeyPair(), systemKey: generateKeyPair(), deptKey: generateKeyPair() });

/** Opens a node on db with the given keys; seeds genesis and test users when the ledger is empty. */
export async function createTestLedger(db: Database, opts: { maxBlockTx?: number; keys?: TestKeys; contracts?: ContractRegistry; trace?: boolean } = {}): Promise<TestLedger> {
  const { nodeKey, systemKey, deptKey } = opts.keys ?? newTestKeys();
  const keystore = new Map([
    ["sys", systemKey.secretKey],
    ["k.tp", deptKey.secretKey],
  ]);
  const node = await LedgerNode.open({ db, chain: "test-chain", node: { id: "n1", secretKey: nodeKey.secretKey }, keystore, maxBlockTx: opts.maxBlockTx, contracts: opts.contracts, trace: opts.trace });
  if (node.height >= 0) return { node, nodeKey, systemKey, deptKey, keystore };
  await node.submit(
    genesisTx({
      chainName: "Test",
      quorum: 1,
      nodes: [{ id: "n1", publicKey: nodeKey.publicKey, region: "shenzhen", name: "Node 1" }],
      keys: [{ id: "sys", publicKey: systemKey.publicKey, dept: "sz", kind: "system" }],
      root: { id: "sz", name: "深圳市", nameEn: "Shenzhen", kind: "city" },
    }),
    "sys",
  );
  const sys = (type: string, payload: unknown) => node.submit({ type, dept: "sz", actor: "system", payload: payload as never }, "sys");
  await Promise.all([
    sys("dept.create", { id: "tp", parent: "sz", name: "交警支队", nameEn: "Traffic Police", kind: "bureau", bureau: "traffic_police" }),
  ]);
  await sys("key.register", { id: "k.tp", publicKey: deptKey.publicKey, dept: "tp", kind: "dept" });
  await Promise.all([
    sys("user.create", { id: "admin", dept: "sz", name: "管理员", role: "sys_admin", clearance: 4, credential: CREDENTIAL }),
    sys("user.create", { id: "op", dept: "tp", name: "操作员", role: "operator", clearance: 2, credential: CREDENTIAL }),
    sys("user.create", { id: "viewer", dept: "tp", name: "查看员", role: "viewer", clearance: 1, credential: CREDENTIAL }),
    sys("user.create", { id: "tpadmin", dept: "tp", name: "交警管理员", role: "dept_admin", clearance: 3, credential: CREDENTIAL }),
  ]);
  return { node, nodeKey, systemKey, deptKey, keystore };
}

/**
 * Adds a transport bureau "tr" (with its signing key "k.tr" in the node's keystore) and users:
 * each `[id, dept, role]` with clearance 2 (supervisors 3).
 */
export async function addTransportBureau(L: TestLedger, users: [id: string, dept: "tr" | "tp", role: "operator" | "supervisor"][]): Promise<void> {
  const trKey = generateKeyPair();
  L.keystore.set("k.tr", trKey.secretKey);
  const sys = (type: string, payload: object) => L.node.submit({ type, dept: "sz", actor: "system", payload: payload as never }, "sys");
  await sys("dept.create", { id: "tr", parent: "sz", name: "交通运输局", nameEn: "Transport Bureau", kind: "bureau", bureau: "transport" });
  await sys("key.register", { id: "k.tr", publicKey: trKey.publicKey, dept: "tr", kind: "dept" });
  await Promise.all(
    users.map(([id, dept, role]) => sys("user.create", { id, dept, name: id, role, clearance: role === "supervisor" ? 3 : 2, credential: CREDENTIAL })),
  );
}
