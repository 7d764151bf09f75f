/** Core contracts: genesis, keys, departments, users, smart-law rules and file anchoring. */
import { z } from "zod";
import { HEX32 } from "../tx.js";
import { ACCOUNT_STATUSES, BUREAUS, DEPT_KINDS } from "./enums.js";
import { recordId } from "./ids.js";
import { defineContract, ROLE_RANK, ROLES, type Role, type UserRecord } from "./types.js";

const id = recordId();
const KEYS_PUBLIC = "签名公钥 signing public keys";
const DEPTS_PUBLIC = "部门树对各部门公开 the department tree is open to every department";
const USERS_PUBLIC = "工作人员名录（口令凭据密封，从不显示） the staff directory (password credentials are sealed and never shown)";
const pubKey = z.string().regex(HEX32, "publicKey must be 64 lowercase hex digits");
const name = z.string().trim().min(1).max(100);
export { BUREAUS };

const deptFields = {
  name,
  nameEn: z.string().trim().min(1).max(100),
  kind: z.enum(DEPT_KINDS),
  bureau: z.enum(BUREAUS).optional(),
  region: z.string().max(32).optional(),
  adcode: z.string().regex(/^\d{6}$/).optional(),
};

const genesis = defineContract({
  type: "ledger.genesis",
  version: 1,
  roles: ["system"],
  writes: ["config", "node", "key", "dept"],
  governs: { public: "创世：链名、节点与部门公钥、根部门 genesis: the chain's name, node and department public keys, the root department" },
  subject: (p) => p.root?.name ?? p.chainName,
  schema: z
    .object({
      chainName: name,
      quorum: z.number().int().min(1),
      nodes: z.array(z.object({ id, publicKey: pubKey, region: z.string().max(32), name })).min(1),
      keys: z.array(z.object({ id, publicKey: pubKey, dept: id, kind: z.enum(["system", "dept"]) })).min(1),
      root: z.object({ id, ...deptFields }),
    })
    .strict()
    .refine((p) => p.quorum <= p.nodes.length, { message: "quorum exceeds node count" }),
  reads: () => [["config", "ledger"]],
  apply(ctx, p) {
    if (ctx.height !== 0 || ctx.get("config", "ledger")) return ctx.refuse("genesis only at height 0");
    ctx.put("config", "ledger", { chainName: p.chainName, quorum: p.quorum, nodes: p.nodes.map((n) => n.id) });
    for (const n of p.nodes) ctx.put("node", n.id, { ...n, status: "active" });
    for (const k of p.keys) ctx.put("key", k.id, { ...k, status: "active" });
    ctx.put("dept", p.root.id, { ...p.root, parent: null, status: "active" });
  },
});

const keyRegister = defineContract({
  type: "key.register",
  version: 1,
  roles: ["system", "sys_admin"],
  writes: ["key"],
  governs: { public: KEYS_PUBLIC },
  schema: z.object({ id, publicKey: pubKey, dept: id, kind: z.enum(["dept", "terminal"]) }).strict(),
  reads: (_tx, p) => [
    ["key", p.id],
    ["dept", p.dept],
  ],
  apply(ctx, p) {
    if (ctx.get("key", p.id)) return ctx.refuse(`key ${p.id} already registered`);
    if (!ctx.get("dept", p.dept)) return ctx.refuse(`unknown department ${p.dept}`);
    ctx.put("key", p.id, { ...p, status: "active" });
  },
});

const keyRevoke = defineContract({
  type: "key.revoke",
  version: 1,
  roles: ["system", "sys_admin"],
  writes: ["key"],
  governs: { public: KEYS_PUBLIC },
  schema: z.object({ id, reason: z.string().min(1).max(500) }).strict(),
  reads: (_tx, p) => [["key", p.id]],
  apply(ctx, p) {
    const k = ctx.get<Record<string, unknown>>("key", p.id);
    if (!k) return ctx.refuse(`unknown key ${p.id}`);
    if (k.kind === "system") return ctx.refuse("the system key cannot be revoked");
    ctx.put("key", p.id, { ...(k as Record<string, string>), status: "revoked", reason: p.reason });
  },
});

const deptCreate = defineContract({
  type: "dept.create",
  version: 1,
  roles: ["system", "sys_admin"],
  writes: ["dept"],
  governs: { public: DEPTS_PUBLIC },
  schema: z
    .object({ id, parent: id, ...deptFields })
    .strict()
    .refine((p) => (p.kind === "bureau") === (p.bureau !== undefined), { message: "a bureau needs its bureau type" }),
  reads: (_tx, p) => [
    ["dept", p.id],
    ["dept", p.parent],
  ],
  apply(ctx, p) {
    if (ctx.get("dept", p.id)) return ctx.refuse(`department ${p.id} already exists`);
    const parent = ctx.get<{ status: string }>("dept", p.parent);
    if (!parent) return ctx.refuse(`unknown parent department ${p.parent}`);
    if (parent.status !== "active") return ctx.refuse(`parent department ${p.parent} is disabled`);
    ctx.put("dept", p.id, { ...p, status: "active" });
  },
});

const deptUpdate = defineContract({
  type: "dept.update",
  version: 1,
  roles: ["system", "sys_admin"],
  writes: ["dept"],
  governs: { public: DEPTS_PUBLIC },
  schema: z
    .object({ id, name: name.optional(), nameEn: deptFields.nameEn.optional(), status: z.enum(ACCOUNT_STATUSES).optional() })
    .strict(),
  reads: (_tx, p) => [["dept", p.id]],
  apply(ctx, p) {
    const d = ctx.get<Record<string, string | null>>("dept", p.id);
    if (!d) return ctx.refuse(`unknown department ${p.id}`);
    if (p.status === "disabled" && d.parent === null) return ctx.refuse("the root department cannot be disabled");
    ctx.put("dept", p.id, { ...d, ...p });
  },
});

/**
 * A password credential: an scrypt hash sealed (AES-256-GCM) under the node's credential key as
 * "sealed$<nonce>$<ciphertext>", so the ledger and a database dump hold no password hash; a bare
 * scrypt hash is still accepted (ledgers written before sealing). Never returned by read APIs.
 */
const credential = z
  .string()
  .regex(/^(scrypt\$\d+\$\d+\$\d+\$[0-9a-f]{32}\$[0-9a-f]{128}|sealed\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{40,600}={0,2})$/, "credential must be a sealed (or scrypt) credential");

/** Admins may act only within their own department, and only on roles below their own (sys_admin: anywhere). */
function checkUserAdmin(ctx: Parameters<typeof deptCreate.apply>[0], dept: string, role: Role | undefined): void {
  const me = ctx.user;
  if (!me) return; // system actor (genesis seed)
  if (me.role === "sys_admin") return;
  if (dept !== me.dept) return ctx.refuse(`a department admin manages only users of ${me.dept}`);
  if (role && ROLE_RANK[role] >= ROLE_RANK[me.role]) return ctx.refuse(`cannot grant role ${role} (own role ${me.role})`);
}

const userCreate = defineContract({
  type: "user.create",
  version: 1,
  roles: ["system", "sys_admin", "dept_admin"],
  writes: ["user"],
  governs: { public: USERS_PUBLIC },
  schema: z
    .object({ id, dept: id, name, role: z.enum(ROLES), clearance: z.number().int().min(1).max(4), credential })
    .strict(),
  reads: (_tx, p) => [
    ["user", p.id],
    ["dept", p.dept],
  ],
  apply(ctx, p) {
    if (ctx.get("user", p.id)) return ctx.refuse(`user ${p.id} already exists`);
    const dept = ctx.get<{ status: string }>("dept", p.dept);
    if (!dept) return ctx.refuse(`unknown department ${p.dept}`);
    if (dept.status !== "active") return ctx.refuse(`department ${p.dept} is disabled`);
    checkUserAdmin(ctx, p.dept, p.role);
    if (ctx.user && p.clearance > ctx.user.clearance) return ctx.refuse(`clearance ${p.clearance} exceeds your own (${ctx.user.clearance})`);
    ctx.put("user", p.id, { ...p, status: "active" });
  },
});

const userUpdate = defineContract({
  type: "user.update",
  version: 1,
  roles: ["system", "sys_admin", "dept_admin"],
  writes: ["user"],
  governs: { public: USERS_PUBLIC },
  schema: z
    .object({
      id,
      name: name.optional(),
      role: z.enum(ROLES).optional(),
      clearance: z.number().int().min(1).max(4).optional(),
      status: z.enum(ACCOUNT_STATUSES).optional(),
      credential: credential.optional(),
    })
    .strict(),
  reads: (_tx, p) => [["user", p.id]],
  apply(ctx, p) {
    const u = ctx.get<UserRecord>("user", p.id);
    if (!u) return ctx.refuse(`unknown user ${p.id}`);
    checkUserAdmin(ctx, u.dept, p.role);
    if (ctx.user && ctx.user.role !== "sys_admin" && ROLE_RANK[u.role] >= ROLE_RANK[ctx.user.role]) {
      return ctx.refuse(`cannot change a user whose role is ${u.role}`);
    }
    if (ctx.user && p.id === ctx.user.id && p.status === "disabled") return ctx.refuse("you cannot disable yourself");
    if (ctx.user && p.clearance !== undefined && p.clearance > ctx.user.clearance) return ctx.refuse("clearance exceeds your own");
    ctx.put("user", p.id, { ...u, ...p });
  },
});

/** Who may set which rule: the smart law's own meta-rule. Rules not listed here are set by sys_admin. */
const RULE_OWNERS: { prefix: string; bureau?: (typeof BUREAUS)[number]; roles: Role[] }[] = [
  { prefix: "traffic.", bureau: "traffic_police", roles: ["supervisor", "dept_admin", "sys_admin"] },
  { prefix: "hazmat.", bureau: "traffic_police", roles: ["supervisor", "dept_admin", "sys_admin"] },
  { prefix: "ridehail.", bureau: "transport", roles: ["supervisor", "dept_admin", "sys_admin"] },
  { prefix: "identity.", bureau: "public_security", roles: ["dept_admin", "sys_admin"] },
  { prefix: "dispatch.", bureau: "emergency", roles: ["supervisor", "dept_admin", "sys_admin"] },
];

const ruleSet = defineContract({
  type: "rule.set",
  version: 1,
  roles: ["system", "sys_admin", "dept_admin", "supervisor"],
  writes: ["rule"],
  governs: { public: "智能法规规则对各部门公开 smart-law rules are open to every department" },
  subject: (p) => p.name,
  schema: z
    .object({
      name: z.string().regex(/^[a-z][a-zA-Z0-9]*(\.[a-zA-Z0-9_]+)+$/, "rule name like 'traffic.speedLimit'"),
      value: z.json(),
      note: z.string().max(500).optional(),
    })
    .strict(),
  reads: (tx, p) => [
    ["rule", p.name],
    ["dept", tx.dept],
  ],
  apply(ctx, p) {
    const me = ctx.user;
    if (me && me.role !== "sys_admin") {
      const owner = RULE_OWNERS.find((o) => p.name.startsWith(o.prefix));
      const dept = ctx.get<{ bureau?: string }>("dept", ctx.tx.dept);
      if (!owner) return ctx.refuse(`rule ${p.name} is set by a system admin`);
      if (owner.bureau && dept?.bureau !== owner.bureau) return ctx.refuse(`rule ${p.name} is set by the ${owner.bureau} bureau`);
      if (!owner.roles.includes(me.role)) return ctx.refuse(`role ${me.role} cannot set ${p.name}`);
    }
    const prev = ctx.get<{ version: number }>("rule", p.name);
    ctx.put("rule", p.name, {
      value: p.value as never,
      note: p.note ?? null,
      version: (prev?.version ?? 0) + 1,
      setBy: { dept: ctx.tx.dept, actor: ctx.tx.actor, seq: ctx.seq },
    });
  },
});

const fileAnchor = defineContract({
  type: "file.anchor",
  version: 1,
  roles: ["system", "operator", "dispatcher", "supervisor", "dept_admin", "sys_admin"],
  writes: ["anchor"],
  governs: { public: "文件的哈希与名称，文件本身不上链 a file's hash and name; the file itself stays off the ledger" },
  subject: (p) => p.name ?? p.fileHash,
  schema: z
    .object({
      fileHash: z.string().regex(HEX32, "fileHash must be 64 lowercase hex digits"),
      name: z.string().max(255).optional(),
      size: z.number().int().min(0).optional(),
      mime: z.string().max(100).optional(),
      ref: z.string().max(200).optional(),
    })
    .strict(),
  reads: (_tx, p) => [["anchor", p.fileHash]],
  apply(ctx, p) {
    const prev = ctx.get<{ seq: number }>("anchor", p.fileHash);
    if (prev) return ctx.refuse(`file already anchored by transaction #${prev.seq}`);
    // Object.assign: adding keys after a spread is slow on Node 20's V8 (µs per call) and this is a hot path.
    // Keys in canonical order when the payload is just the hash (the common case): encoded natively.
    ctx.put("anchor", p.fileHash, Object.assign({ actor: ctx.tx.actor, dept: ctx.tx.dept }, p, { seq: ctx.seq, time: ctx.blockTime }));
  },
});

export const coreContracts = [genesis, keyRegister, keyRevoke, deptCreate, deptUpdate, userCreate, userUpdate, ruleSet, fileAnchor];
