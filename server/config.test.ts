/** loadConfig: every variable read once, typed; bad values refused with a message naming the variable. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

const faultsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.faults;
    throw e;
  }
  throw new Error("accepted");
};

describe("loadConfig", () => {
  it("gives the documented defaults for an empty environment", () => {
    const c = loadConfig({});
    expect(c.dataDir).toBe(join(process.cwd(), ".data"));
    expect(c.database).toEqual({ kind: "pglite", dir: join(process.cwd(), ".data", "pglite") });
    expect(c.keysFile).toBe(join(process.cwd(), ".data", "keys.json"));
    expect(c.demo).toEqual({ enabled: true, vehicles: 2000 });
    expect(c.cluster).toBeNull();
    expect(c.mqtt.url).toBe("mqtt://127.0.0.1:1884");
    expect(c.appOrigins).toEqual([]);
    expect(c.trace).toBe(false);
  });

  it("reads each variable into its typed field", () => {
    const c = loadConfig({
      DATABASE_URL: "postgres://u@db:5432/city",
      CITYLEDGER_DATA_DIR: "/srv/city",
      CITYLEDGER_DEMO: "0",
      CITYLEDGER_DEMO_VEHICLES: "40",
      CITYLEDGER_ADMIN_PASSWORD: "Harbour-Light-2026",
      CITYLEDGER_CLUSTER: "/srv/cluster.json",
      CITYLEDGER_NODE_ID: "gz-1",
      NATS_PASSWORD: "s3cret-s3cret",
      MQTT_URL: "off",
      APP_ORIGIN: "https://portal.city.gov, https://backup.city.gov/",
      TRUSTED_PROXIES: "10.0.0.0/8",
      CITYLEDGER_TRACE: "1",
    });
    expect(c.database).toEqual({ kind: "postgres", url: "postgres://u@db:5432/city" });
    expect(c.keysFile).toBe("/srv/city/keys.json");
    expect(c.demo).toEqual({ enabled: false, vehicles: 40 });
    expect(c.adminPassword).toBe("Harbour-Light-2026");
    expect(c.cluster).toEqual({ file: "/srv/cluster.json", nodeId: "gz-1", credentials: { user: "gz-1", pass: "s3cret-s3cret" }, tlsCaFile: undefined });
    expect(c.mqtt.url).toBeNull();
    expect(c.appOrigins).toEqual(["https://portal.city.gov", "https://backup.city.gov"]);
    expect(c.trace).toBe(true);
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ DATABASE_URL: "", CITYLEDGER_DEMO: " ", MQTT_BROKER_PORT: "" })).toEqual(loadConfig({}));
  });

  it("refuses bad values with every fault named by its variable", () => {
    const faults = faultsOf({
      DATABASE_URL: "mysql://x",
      CITYLEDGER_DEMO: "yes",
      CITYLEDGER_DEMO_VEHICLES: "lots",
      CITYLEDGER_ADMIN_PASSWORD: "123456",
      MQTT_BROKER_PORT: "70000",
      APP_ORIGIN: "portal.city.gov",
      TRUSTED_PROXIES: "10.0.0.0/40",
      CITYLEDGER_CLUSTER: "/srv/cluster.json",
    });
    const expected = [
      /^DATABASE_URL .*postgres:\/\//,
      /^CITYLEDGER_DEMO 须为 0 或 1 must be 0 or 1$/,
      /^CITYLEDGER_DEMO_VEHICLES .*whole number/,
      /^CITYLEDGER_ADMIN_PASSWORD: .*(common|8 characters)/,
      /^MQTT_BROKER_PORT .*port number/,
      /^APP_ORIGIN: portal\.city\.gov .*is not an origin/,
      /^TRUSTED_PROXIES: 10\.0\.0\.0\/40 is not an IPv4 CIDR/,
      /^CITYLEDGER_NODE_ID: .*must name itself/,
    ];
    expect(faults).toHaveLength(expected.length);
    for (const re of expected) expect(faults.some((f) => re.test(f)), `${re} in ${faults.join(" | ")}`).toBe(true);
  });

  it("throws one readable error, not a zod dump", () => {
    expect(() => loadConfig({ CITYLEDGER_TRACE: "on" })).toThrow(/^配置错误 invalid configuration:\n {2}CITYLEDGER_TRACE 须为 0 或 1 must be 0 or 1$/);
  });
});
