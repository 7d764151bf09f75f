/**
 * Seeds an empty ledger with the demo city. The seed is itself ledger transactions, signed by the
 * system key: genesis, then every department, then department keys and users. Transactions of one
 * phase are submitted together so that they share blocks (a few blocks in all, seconds not minutes).
 */
import { genesisTx } from "../../chain/genesis";
import type { LedgerNode, TxInput } from "../../chain/node";
import { generateKeyPair, publicKeyOf } from "../../chain/signature";
import { newCredential } from "../auth/credential-seal";
import type { Keystore } from "./keystore";
import { randomBytes } from "node:crypto";
import { passwordWeakness } from "../auth/password-policy";
import { DEMO_PASSWORD, deptKeyId, NODE_INFO, ROOT_DEPT, SEED_DEPARTMENTS, SEED_USERS, SYSTEM_KEY_ID } from "./seed-data";

export interface SeedSummary {
  transactions: number;
  departments: number;
  users: number;
}

/** Multi-node: the nodes genesis lists and the quorum, and how genesis enters the shared order. */
export interface ClusterSeed {
  nodes: { id: string; publicKey: string; region: string; name: string }[];
  quorum: number;
  /** Publishes genesis unless another node did; resolves once genesis is built here. */
  submitGenesis(genesis: TxInput, signer: string): Promise<void>;
}

/** Without demo data: the administrator's given password (CITYLEDGER_ADMIN_PASSWORD, checked by the policy), or a generated one shown once. */
function bootstrapAdminPassword(given: string | undefined): string {
  if (given) {
    const fault = passwordWeakness(given);
    if (fault) throw new Error(`CITYLEDGER_ADMIN_PASSWORD: ${fault}`);
    return given;
  }
  const generated = `Cl-${randomBytes(12).toString("base64url")}9`;
  console.log(`[cityledger] no demo data (CITYLEDGER_DEMO=0): sign in as "admin" with the generated password ${generated} and change it; it is not shown again`);
  return generated;
}

/** `demo`: the demo staff, else only the administrator (with `password`, else `adminPassword` or a generated one). */
export async function seedLedger(node: LedgerNode, keystore: Keystore, opts: { demo: boolean; password?: string; adminPassword?: string; cluster?: ClusterSeed }): Promise<SeedSummary> {
  const { demo, cluster } = opts;
  // Demo staff accounts, or only the system administrator who onboards the rest.
  const users = demo ? SEED_USERS : SEED_USERS.filter((u) => u.id === "admin");
  const password = opts.password ?? (demo ? DEMO_PASSWORD : bootstrapAdminPassword(opts.adminPassword));
  const system = generateKeyPair();
  const root = generateKeyPair();
  keystore.keys.set(SYSTEM_KEY_ID, system.secretKey);
  keystore.keys.set(deptKeyId(ROOT_DEPT.id), root.secretKey);
  const deptKeys = SEED_DEPARTMENTS.map((d) => ({ dept: d.id, ...generateKeyPair() }));
  for (const k of deptKeys) keystore.keys.set(deptKeyId(k.dept), k.secretKey);
  keystore.save();

  const genesis = genesisTx({
    chainName: "深圳市政务链 CityLedger",
    quorum: cluster?.quorum ?? 1,
    nodes: cluster?.nodes ?? [{ ...NODE_INFO, publicKey: publicKeyOf(keystore.node.secretKey) }],
    keys: [
      { id: SYSTEM_KEY_ID, publicKey: system.publicKey, dept: ROOT_DEPT.id, kind: "system" },
      { id: deptKeyId(ROOT_DEPT.id), publicKey: root.publicKey, dept: ROOT_DEPT.id, kind: "dept" },
    ],
    root: ROOT_DEPT,
  });
  if (cluster) await cluster.submitGenesis(genesis, SYSTEM_KEY_ID);
  else await node.submit(genesis, SYSTEM_KEY_ID);
  const sys = (type: string, payload: Record<string, unknown>, purpose: string) =>
    node.submit({ type, dept: ROOT_DEPT.id, actor: "system", purpose, payload: payload as never }, SYSTEM_KEY_ID);

  // Parents precede children in the list and in the block, so one round suffices.
  await Promise.all(SEED_DEPARTMENTS.map((d) => sys("dept.create", { ...d }, "初始化组织架构 seed department tree")));
  const credentials = await Promise.all(users.map((u) => newCredential(keystore, u.id, password)));
  await Promise.all([
    ...deptKeys.map((k) => sys("key.register", { id: deptKeyId(k.dept), publicKey: k.publicKey, dept: k.dept, kind: "dept" }, "登记部门签名密钥 register department key")),
    ...users.map((u, i) => sys("user.create", { ...u, credential: credentials[i] }, demo ? "初始化演示账号 seed demo user" : "初始化系统管理员 bootstrap administrator")),
  ]);
  return { transactions: 1 + SEED_DEPARTMENTS.length + deptKeys.length + users.length, departments: SEED_DEPARTMENTS.length + 1, users: users.length };
}
