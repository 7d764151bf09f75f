/**
 * A local NATS JetStream cluster of `size` nats-server processes on loopback ports, each with its
 * own store directory: for the multi-node tests and `npm run cluster`. Servers can be stopped and
 * started again individually (same name, ports and store).
 * Never anonymous: each server runs on a generated config (<dir>/<server>.conf) with one user per
 * ledger node, limited by chain/cluster/nats-permissions.ts, an `admin` user for operators, and a
 * password on the cluster routes. Passwords are generated once into <dir>/secrets.json (0600) and
 * reused on restart.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { z } from "zod";
import { nodePermissions, orderingNames } from "../chain/cluster/nats-permissions";

/** Which ledger nodes get users, and the chain (stream, subjects) their permissions cover. */
export interface NatsAuthOptions {
  nodes: string[];
  chain: string;
  stream?: string;
  subjectPrefix?: string;
}

export interface NatsCredentials {
  user: string;
  pass: string;
}

export const NATS_ADMIN_USER = "admin";
const ROUTE_USER = "route";
const nodeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "node id: letters, digits, '_' or '-' (节点编号格式错误)");
const secretsSchema = z.object({ users: z.record(z.string(), z.string().min(16)) });

function writeSecret(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** <dir>/secrets.json: a password per user, generated for the users that have none yet. */
export function natsSecrets(dir: string, users: string[]): Record<string, string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, "secrets.json");
  const secrets = existsSync(file) ? secretsSchema.parse(JSON.parse(readFileSync(file, "utf8"))).users : {};
  let changed = !existsSync(file);
  for (const u of users) {
    if (secrets[u]) continue;
    secrets[u] = randomBytes(24).toString("base64url");
    changed = true;
  }
  if (changed) writeSecret(file, JSON.stringify({ users: secrets }, null, 2) + "\n");
  return secrets;
}

/** The `authorization` block: an admin, and each node limited to its chain's subjects and stream. */
export function natsAuthorization(auth: NatsAuthOptions, secrets: Record<string, string>): object {
  const names = orderingNames(auth.chain, auth.stream, auth.subjectPrefix);
  return {
    users: [
      { user: NATS_ADMIN_USER, password: secrets[NATS_ADMIN_USER] },
      ...auth.nodes.map((id) => ({ user: id, password: secrets[id], permissions: nodePermissions(id, names) })),
    ],
  };
}

export interface NatsServer {
  name: string;
  clientPort: number;
  routePort: number;
  url: string;
  process: ChildProcess | null;
}

export interface NatsCluster {
  /** Where the configs, secrets.json and stores are. */
  dir: string;
  servers: NatsServer[];
  urls: string[];
  /** The operators' user (all subjects, all streams): for tests and maintenance, never for a node. */
  admin: NatsCredentials;
  /** A ledger node's user. */
  credentials(node: string): NatsCredentials;
  stop(i: number): Promise<void>;
  start(i: number): Promise<void>;
  close(): Promise<void>;
}

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? "nats-server";

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

async function waitPort(port: number, open: boolean, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if ((await portOpen(port)) === open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`port ${port} did not ${open ? "open" : "close"} within ${ms} ms`);
}

export async function startNatsCluster(opts: { dir: string; basePort: number; auth: NatsAuthOptions; size?: number; clusterName?: string; log?: boolean }): Promise<NatsCluster> {
  const size = opts.size ?? 3;
  for (const id of opts.auth.nodes) {
    nodeId.parse(id);
    if (id === NATS_ADMIN_USER || id === ROUTE_USER) throw new Error(`a node cannot be named "${id}" (节点编号与保留账号重名)`);
  }
  const secrets = natsSecrets(opts.dir, [NATS_ADMIN_USER, ROUTE_USER, ...opts.auth.nodes]);
  const authorization = natsAuthorization(opts.auth, secrets);
  const servers: NatsServer[] = Array.from({ length: size }, (_, i) => ({
    name: `${opts.clusterName ?? "cityledger"}-n${i + 1}`,
    clientPort: opts.basePort + i,
    routePort: opts.basePort + 100 + i,
    url: `nats://127.0.0.1:${opts.basePort + i}`,
    process: null,
  }));
  const start = async (i: number) => {
    const s = servers[i];
    if (s.process) return;
    // A server left over from an earlier run would be joined silently, with its old streams.
    if ((await portOpen(s.clientPort)) || (await portOpen(s.routePort))) throw new Error(`port ${s.clientPort} or ${s.routePort} is already in use`);
    const store = join(opts.dir, s.name);
    mkdirSync(store, { recursive: true });
    const routePass = secrets[ROUTE_USER];
    // NATS config syntax is a superset of JSON.
    const config = {
      server_name: s.name,
      host: "127.0.0.1",
      port: s.clientPort,
      jetstream: { store_dir: store },
      authorization,
      ...(size > 1
        ? {
            cluster: {
              name: opts.clusterName ?? "cityledger",
              listen: `127.0.0.1:${s.routePort}`,
              // A process that is not one of ours cannot join the cluster and read every message.
              authorization: { user: ROUTE_USER, password: routePass },
              routes: servers.filter((o) => o !== s).map((o) => `nats://${ROUTE_USER}:${routePass}@127.0.0.1:${o.routePort}`),
            },
          }
        : {}),
    };
    const confFile = join(opts.dir, `${s.name}.conf`);
    writeSecret(confFile, JSON.stringify(config, null, 2) + "\n");
    const child = spawn(NATS_SERVER, ["-c", confFile], { stdio: opts.log ? "inherit" : "ignore" });
    s.process = child;
    const exited = new Promise<never>((_, reject) =>
      child.once("exit", (code) => {
        if (s.process === child) s.process = null;
        reject(new Error(`nats-server ${s.name} exited (code ${code}) before listening on ${s.clientPort}: a port in use?`));
      }),
    );
    exited.catch(() => undefined);
    await Promise.race([waitPort(s.clientPort, true), exited]);
  };
  const stop = async (i: number) => {
    const s = servers[i];
    const child = s.process;
    if (!child) return;
    s.process = null;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    await waitPort(s.clientPort, false);
  };
  try {
    await Promise.all(servers.map((_, i) => start(i)));
  } catch (e) {
    await Promise.all(servers.map((_, i) => stop(i).catch(() => undefined)));
    throw e;
  }
  return {
    dir: opts.dir,
    servers,
    urls: servers.map((s) => s.url),
    admin: { user: NATS_ADMIN_USER, pass: secrets[NATS_ADMIN_USER] },
    credentials: (node) => {
      if (!opts.auth.nodes.includes(node)) throw new Error(`no NATS user for node ${node}`);
      return { user: node, pass: secrets[node] };
    },
    start,
    stop,
    close: async () => {
      await Promise.all(servers.map((_, i) => stop(i)));
    },
  };
}

/**
 * A cluster for tests and benches on random loopback ports below Linux's ephemeral range (32768+),
 * where an outgoing connection's local port could take one; retried on other ports if a server
 * cannot listen.
 */
export async function startNatsClusterOnFreePorts(opts: { dir: string; auth: NatsAuthOptions; size?: number; log?: boolean }, attempts = 5): Promise<NatsCluster> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    const basePort = 20000 + Math.floor(Math.random() * 120) * 100;
    try {
      return await startNatsCluster({ ...opts, dir: join(opts.dir, `p${basePort}`), basePort });
    } catch (e) {
      last = e;
    }
  }
  throw last;
}
