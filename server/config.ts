/**
 * The server's configuration: every environment variable it reads, read once here into a typed
 * object. Modules take these values as parameters; only entry points (the Next server's services,
 * scripts) call `loadConfig`.
 *
 *   DATABASE_URL               PostgreSQL; unset: embedded PGlite in <CITYLEDGER_DATA_DIR>/pglite
 *   CITYLEDGER_DATA_DIR        data directory (default .data): PGlite, keystore, MQTT broker secrets
 *   CITYLEDGER_KEYS            keystore file (default <data dir>/keys.json)
 *   CITYLEDGER_MIGRATIONS      drizzle migrations folder (default ./drizzle)
 *   CITYLEDGER_DEMO            1 (default): demo city; 0: only the administrator
 *   CITYLEDGER_DEMO_VEHICLES   demo fleet size (default 2000)
 *   CITYLEDGER_ADMIN_PASSWORD  without demo data: the administrator's first password (else generated)
 *   CITYLEDGER_CLUSTER, CITYLEDGER_NODE_ID   multi-node: the cluster config file and this node's id,
 *     NATS_USER (default the node id), NATS_PASSWORD, NATS_CA_FILE   this node's NATS user
 *   MQTT_URL (off: none), MQTT_USERNAME, MQTT_PASSWORD, MQTT_CA_FILE, MQTT_BROKER_PORT, MOSQUITTO_BIN
 *   APP_ORIGIN                 the portal's origins (comma-separated) for the cross-site check
 *   TRUSTED_PROXIES            proxies whose X-Forwarded-For is believed (IPs, IPv4 CIDRs)
 *   CITYLEDGER_DEVICE_SECRET   key of the sign-in device cookies (default: random per process)
 *   CITYLEDGER_TRACE           1: per-block timings on stderr
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { z } from "zod";
import { parseTrustedProxies } from "./auth/client-ip";
import { passwordWeakness } from "./auth/password-policy";
import { DEFAULT_MQTT_HOST, DEFAULT_MQTT_PORT } from "./ingest/broker-config";

export type DatabaseConfig = { kind: "postgres"; url: string } | { kind: "pglite"; dir: string };

export interface ClusterEnv {
  /** The cluster config JSON written by `npm run cluster`. */
  file: string;
  nodeId: string;
  credentials?: { user: string; pass: string };
  tlsCaFile?: string;
}

export interface MqttConfig {
  /** The broker; null: no MQTT ingest (MQTT_URL=off). */
  url: string | null;
  /** Explicit credentials; else the project broker's generated ones for the user asking. */
  username?: string;
  password?: string;
  caFile?: string;
  /** Port of the project's own broker (scripts/mqtt-broker.ts). */
  brokerPort: number;
  mosquittoBin: string;
}

export interface Config {
  dataDir: string;
  database: DatabaseConfig;
  keysFile: string;
  migrationsDir: string;
  demo: { enabled: boolean; vehicles: number };
  adminPassword?: string;
  cluster: ClusterEnv | null;
  mqtt: MqttConfig;
  /** Origins a POST may come from; empty: the request's own host. */
  appOrigins: string[];
  /** TRUSTED_PROXIES as given (parsed by client-ip when the services open). */
  trustedProxies: string;
  deviceSecret?: string;
  trace: boolean;
}

/** Unset and empty are the same: `FOO= npm start` does not set FOO. */
const opt = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().optional());
const flag = (name: string) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.enum(["0", "1"], { error: `${name} 须为 0 或 1 must be 0 or 1` }).optional());
const count = (name: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number({ error: `${name} 须为整数 must be a whole number` }).int(`${name} 须为整数 must be a whole number`).min(0, `${name} 不得为负 must not be negative`).max(max, `${name} 至多 ${max} at most ${max}`).optional(),
  );
const port = (name: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number({ error: `${name} 须为端口号 must be a port number` }).int(`${name} 须为端口号 must be a port number`).min(1, `${name} 须为端口号 must be a port number`).max(65535, `${name} 须为端口号 must be a port number`).optional(),
  );

const originList = opt.superRefine((v, ctx) => {
  for (const o of splitList(v)) {
    let ok = false;
    try {
      const u = new URL(o);
      ok = (u.protocol === "http:" || u.protocol === "https:") && u.origin === o;
    } catch {
      ok = false;
    }
    if (!ok) ctx.addIssue({ code: "custom", message: `APP_ORIGIN: ${o} 不是来源（如 https://portal.city.gov） is not an origin like https://portal.city.gov` });
  }
});

const envSchema = z
  .object({
    DATABASE_URL: opt.refine((v) => !v || /^postgres(ql)?:\/\//.test(v), "DATABASE_URL 须为 postgres:// 地址 must be a postgres:// URL"),
    CITYLEDGER_DATA_DIR: opt,
    CITYLEDGER_KEYS: opt,
    CITYLEDGER_MIGRATIONS: opt,
    CITYLEDGER_DEMO: flag("CITYLEDGER_DEMO"),
    CITYLEDGER_DEMO_VEHICLES: count("CITYLEDGER_DEMO_VEHICLES", 100_000),
    CITYLEDGER_ADMIN_PASSWORD: opt.superRefine((v, ctx) => {
      const fault = v ? passwordWeakness(v) : null;
      if (fault) ctx.addIssue({ code: "custom", message: `CITYLEDGER_ADMIN_PASSWORD: ${fault}` });
    }),
    CITYLEDGER_CLUSTER: opt,
    CITYLEDGER_NODE_ID: opt,
    NATS_USER: opt,
    NATS_PASSWORD: opt,
    NATS_CA_FILE: opt,
    MQTT_URL: opt.refine((v) => !v || v === "off" || /^(mqtts?|wss?|tcp|tls):\/\//.test(v), "MQTT_URL 须为 mqtt:// 地址或 off must be an mqtt:// URL or off"),
    MQTT_USERNAME: opt,
    MQTT_PASSWORD: opt,
    MQTT_CA_FILE: opt,
    MQTT_BROKER_PORT: port("MQTT_BROKER_PORT"),
    MOSQUITTO_BIN: opt,
    APP_ORIGIN: originList,
    TRUSTED_PROXIES: opt.superRefine((v, ctx) => {
      try {
        parseTrustedProxies(v);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: `${(e as Error).message}（可信代理须为 IP 或 IPv4 CIDR）` });
      }
    }),
    CITYLEDGER_DEVICE_SECRET: opt.refine((v) => !v || v.length >= 16, "CITYLEDGER_DEVICE_SECRET 至少 16 个字符 must be at least 16 characters"),
    CITYLEDGER_TRACE: flag("CITYLEDGER_TRACE"),
  });

/** Faults between variables, checked even when single values are bad too, so one run names every fault. */
function crossFaults(env: Record<string, string | undefined>): string[] {
  const set = (k: string) => !!env[k]?.trim();
  return [
    set("CITYLEDGER_CLUSTER") && !set("CITYLEDGER_NODE_ID") && "CITYLEDGER_NODE_ID: 集群部署须指明本节点 a cluster node must name itself (CITYLEDGER_CLUSTER is set)",
    set("NATS_PASSWORD") && !set("CITYLEDGER_CLUSTER") && "NATS_PASSWORD: 未设 CITYLEDGER_CLUSTER 时无用 has no use without CITYLEDGER_CLUSTER",
    set("MQTT_PASSWORD") && !set("MQTT_USERNAME") && "MQTT_PASSWORD: 须同时设置 MQTT_USERNAME needs MQTT_USERNAME",
  ].filter((f): f is string => !!f);
}

function splitList(v: string | undefined): string[] {
  return (v ?? "").split(",").map((s) => s.trim().replace(/\/$/, "")).filter(Boolean);
}

/** A configuration that cannot be used: every fault, one per line, named by its variable. */
export class ConfigError extends Error {
  constructor(readonly faults: string[]) {
    super(`配置错误 invalid configuration:\n  ${faults.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** Reads the configuration from `env`. @throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  const faults = [...(parsed.success ? [] : parsed.error.issues.map((i) => (i.message.includes(String(i.path[0])) ? i.message : `${i.path.join(".")}: ${i.message}`))), ...crossFaults(env)];
  if (!parsed.success || faults.length) throw new ConfigError(faults);
  const e = parsed.data;
  const dataDir = resolve(/*turbopackIgnore: true*/ e.CITYLEDGER_DATA_DIR ?? ".data");
  return {
    dataDir,
    database: e.DATABASE_URL ? { kind: "postgres", url: e.DATABASE_URL } : { kind: "pglite", dir: join(dataDir, "pglite") },
    keysFile: resolve(/*turbopackIgnore: true*/ e.CITYLEDGER_KEYS ?? join(dataDir, "keys.json")),
    migrationsDir: resolve(/*turbopackIgnore: true*/ e.CITYLEDGER_MIGRATIONS ?? "drizzle"),
    demo: { enabled: e.CITYLEDGER_DEMO !== "0", vehicles: e.CITYLEDGER_DEMO_VEHICLES ?? 2000 },
    adminPassword: e.CITYLEDGER_ADMIN_PASSWORD,
    cluster: e.CITYLEDGER_CLUSTER
      ? {
          file: resolve(/*turbopackIgnore: true*/ e.CITYLEDGER_CLUSTER),
          nodeId: e.CITYLEDGER_NODE_ID!,
          // The node's NATS user is its id unless NATS_USER says otherwise; the password is a secret, never in the shared config.
          credentials: e.NATS_PASSWORD ? { user: e.NATS_USER ?? e.CITYLEDGER_NODE_ID!, pass: e.NATS_PASSWORD } : undefined,
          tlsCaFile: e.NATS_CA_FILE,
        }
      : null,
    mqtt: {
      url: e.MQTT_URL === "off" ? null : (e.MQTT_URL ?? `mqtt://${DEFAULT_MQTT_HOST}:${e.MQTT_BROKER_PORT ?? DEFAULT_MQTT_PORT}`),
      username: e.MQTT_USERNAME,
      password: e.MQTT_PASSWORD,
      caFile: e.MQTT_CA_FILE,
      brokerPort: e.MQTT_BROKER_PORT ?? DEFAULT_MQTT_PORT,
      // Debian installs it in /usr/sbin, which is not on a normal user's PATH.
      mosquittoBin: e.MOSQUITTO_BIN ?? (existsSync("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto"),
    },
    appOrigins: splitList(e.APP_ORIGIN),
    trustedProxies: e.TRUSTED_PROXIES ?? "",
    deviceSecret: e.CITYLEDGER_DEVICE_SECRET,
    trace: e.CITYLEDGER_TRACE === "1",
  };
}
