/**
 * A local NATS JetStream cluster of `size` nats-server processes on loopback ports, each with its
 * own store directory: for the multi-node tests and `npm run cluster`. Servers can be stopped and
 * started again individually (same name, ports and store).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";

export interface NatsServer {
  name: string;
  clientPort: number;
  routePort: number;
  url: string;
  process: ChildProcess | null;
}

export interface NatsCluster {
  servers: NatsServer[];
  urls: string[];
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

export async function startNatsCluster(opts: { dir: string; basePort: number; size?: number; clusterName?: string; log?: boolean }): Promise<NatsCluster> {
  const size = opts.size ?? 3;
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
    const routes = servers.filter((o) => o !== s).map((o) => `nats://127.0.0.1:${o.routePort}`).join(",");
    const args = ["-a", "127.0.0.1", "-p", String(s.clientPort), "-n", s.name, "-js", "-sd", store, "--cluster_name", opts.clusterName ?? "cityledger", "--cluster", `nats://127.0.0.1:${s.routePort}`, "--routes", routes];
    const child = spawn(NATS_SERVER, args, { stdio: opts.log ? "inherit" : "ignore" });
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
    servers,
    urls: servers.map((s) => s.url),
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
export async function startNatsClusterOnFreePorts(opts: { dir: string; size?: number; log?: boolean }, attempts = 5): Promise<NatsCluster> {
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
