/**
 * The NATS config scripts/nats-cluster.ts generates, on a real nats-server: no anonymous clients or
 * wrong passwords; a node user works its own chain's stream and subjects (JetStream publish, an
 * ordered consumer, history requests) but cannot publish outside them, delete or purge the stream,
 * touch another stream, serve another node's history, or read other clients' inboxes.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeInboxPrefix, orderingNames } from "../chain/cluster/nats-permissions.js";
import { startNatsClusterOnFreePorts, type NatsCluster } from "../scripts/nats-cluster.js";
import { until } from "./helpers/until.js";

const CHAIN = "auth-test";
const { stream: STREAM, prefix: P } = orderingNames(CHAIN);
let nats: NatsCluster;
let dir: string;
const conns: NatsConnection[] = [];

async function as(user: "admin" | "sz-1" | "gz-1"): Promise<NatsConnection> {
  const creds = user === "admin" ? nats.admin : nats.credentials(user);
  const nc = await connect({ servers: nats.urls, timeout: 3000, ...creds, ...(user === "admin" ? {} : { inboxPrefix: nodeInboxPrefix(user) }) });
  conns.push(nc);
  return nc;
}

/** The permission errors the server reported on a connection. */
function violations(nc: NatsConnection): string[] {
  const seen: string[] = [];
  void (async () => {
    for await (const s of nc.status()) if (s.type === "error") seen.push(String((s as { error?: Error }).error?.message ?? ""));
  })();
  return seen;
}

describe("NATS with per-node users", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "cityledger-nats-auth-"));
    nats = await startNatsClusterOnFreePorts({ dir, size: 1, auth: { nodes: ["sz-1", "gz-1"], chain: CHAIN } });
  });
  afterAll(async () => {
    for (const nc of conns) await nc.close().catch(() => undefined);
    await nats?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses unauthenticated clients and wrong passwords", async () => {
    await expect(connect({ servers: nats.urls, timeout: 3000, reconnect: false })).rejects.toThrow(/authorization/i);
    await expect(connect({ servers: nats.urls, timeout: 3000, reconnect: false, user: "sz-1", pass: nats.credentials("gz-1").pass })).rejects.toThrow(/authorization/i);
    // The passwords, and the configs that hold them, are readable by their owner only.
    for (const f of ["secrets.json", `${nats.servers[0].name}.conf`]) expect(statSync(join(nats.dir, f)).mode & 0o777).toBe(0o600);
  });

  it("lets a node work its stream: create, JetStream publish, an ordered consumer, a history request to a peer", async () => {
    const sz = await as("sz-1");
    const gz = await as("gz-1");
    const jsm = await jetstreamManager(sz);
    await jsm.streams.add({ name: STREAM, subjects: [`${P}.order`, `${P}.sig`], num_replicas: 1 });
    const ack = await jetstream(sz).publish(`${P}.order`, "cut-1");
    expect(ack.seq).toBe(1);
    const consumer = await jetstream(gz).consumers.get(STREAM, { filter_subjects: `${P}.order`, deliver_policy: DeliverPolicy.All });
    const m = await consumer.next({ expires: 3000 });
    expect(m?.string()).toBe("cut-1");
    await consumer.delete();
    expect((await jsm.streams.getMessage(STREAM, { last_by_subj: `${P}.order` }))?.seq).toBe(1);
    // gz-1 serves its own history; sz-1 asks it.
    gz.subscribe(`${P}.history.gz-1`, { callback: (_e, msg) => void msg.respond("blocks") });
    await gz.flush();
    expect((await sz.request(`${P}.history.gz-1`, "from 0", { timeout: 3000 })).string()).toBe("blocks");
  });

  it("refuses a node what is outside its permissions", async () => {
    const admin = await as("admin");
    const overheard: string[] = [];
    admin.subscribe(">", { callback: (_e, msg) => void overheard.push(msg.subject) });
    await admin.flush();
    const sz = await as("sz-1");
    const errors = violations(sz);
    sz.publish("other.subject", "x");
    sz.publish(`${P}.elsewhere`, "x");
    sz.publish(`cityledger.other-chain.order`, "x");
    sz.publish(`${P}.beacon`, "allowed"); // the control: published after the refused ones
    await sz.flush();
    await until("the control message", () => overheard.includes(`${P}.beacon`));
    expect(overheard.filter((s) => !s.startsWith("$JS") && !s.startsWith("_INBOX") && s !== `${P}.beacon`)).toEqual([]);
    // The server's -ERR reaches the client's status stream asynchronously.
    await until("the server's -ERR", () => errors.some((e) => e.includes("other.subject")));
    expect(errors.join("\n")).toMatch(/Permissions Violation for Publish to "other\.subject"/);

    // The stream cannot be deleted or purged by a node, nor another stream created.
    const jsm = await jetstreamManager(sz);
    await expect(jsm.streams.delete(STREAM)).rejects.toThrow();
    await expect(jsm.streams.purge(STREAM)).rejects.toThrow();
    await expect(jsm.streams.add({ name: "OTHER", subjects: ["other.>"], num_replicas: 1 })).rejects.toThrow();
    expect((await (await jetstreamManager(admin)).streams.info(STREAM)).state.messages).toBe(1);

    // It cannot pose as another node's history service, nor read other clients' replies or the order in the raw.
    const gz = await as("gz-1");
    const served: string[] = [];
    const refused: string[] = [];
    const callback = (e: Error | null, msg: { subject: string }) => void (e ? refused.push(e.message) : served.push(msg.subject));
    for (const subject of [`${P}.history.sz-1`, "_INBOX.>", `${nodeInboxPrefix("sz-1")}.>`, `${P}.order`]) gz.subscribe(subject, { callback });
    const control: string[] = [];
    gz.subscribe(`${P}.beacon`, { callback: (_e, msg) => void control.push(msg.subject) });
    await gz.flush();
    admin.publish(`${P}.history.sz-1`, "x");
    admin.publish("_INBOX.abc", "x");
    admin.publish(`${nodeInboxPrefix("sz-1")}.abc`, "x");
    await jetstream(admin).publish(`${P}.order`, "cut-2");
    // The control, on a subject gz-1 may read, goes last: once it is in, whatever came before would be too.
    admin.publish(`${P}.beacon`, "control");
    await admin.flush();
    await until("the control message and four refusals", () => control.length > 0 && refused.length >= 4);
    expect(served).toEqual([]);
    expect(refused).toHaveLength(4);
    expect(refused.join("\n")).toMatch(/Permissions Violation for Subscription to "cityledger\.auth-test\.history\.sz-1"/);
  });
});
