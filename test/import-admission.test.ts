/**
 * The import preview is the ledger's dry run of registry.import (PGlite and PostgreSQL): for every
 * refusal of admission (who acts, with which key, in which department) and of the rows, the preview
 * refuses what submitting the same file refuses, with the same message; a file it accepts commits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowMessage } from "../chain/contracts/import.js";
import type { TxRejectedError } from "../chain/contracts/types.js";
import { previewImport } from "../chain/import-preview.js";
import { generateKeyPair } from "../chain/signature.js";
import { BACKENDS, openTestDb, type TestDb } from "./helpers/db.js";
import { addTransportBureau, CREDENTIAL, createTestLedger, type TestLedger } from "./helpers/ledger.js";

const company = (id: string) => ({ id, name: `企业 ${id}`, kind: "taxi", ingestKey: generateKeyPair().publicKey });

describe.each(BACKENDS)("import preview against submit on %s", (backend) => {
  let t: TestDb;
  let L: TestLedger;
  const sys = (type: string, payload: object) => L.node.submit({ type, dept: "sz", actor: "system", payload: payload as never }, "sys");

  /** The preview's verdict on a file of company rows, and what submitting that file says (null: committed). */
  async function both(dept: string, actor: string, rows: unknown[], signer = `k.${dept}`) {
    const preview = await previewImport(L.node, { type: "company.register", rows, dept, actor, signer });
    const refusal = await L.node.submit({ type: "registry.import", dept, actor, payload: { type: "company.register", rows } as never }, signer).then(
      () => null,
      (e: TxRejectedError) => e,
    );
    return { preview, submitted: refusal?.message ?? null, code: refusal?.code ?? null };
  }

  /** A refused file: the preview names the file's fault exactly as the ledger words its refusal, and accepts no row. */
  async function expectFileRefused(dept: string, actor: string, signer: string, message: RegExp) {
    const { preview, submitted, code } = await both(dept, actor, [company(`co-${actor}-${signer}`)], signer);
    expect(submitted).toMatch(message);
    expect(preview.fileError).toBe(submitted);
    expect(preview.fileErrorCode).toBe(code);
    expect([preview.valid, preview.invalid]).toEqual([0, 1]);
    expect(preview.rows[0].ok).toBe(false);
  }

  beforeAll(async () => {
    t = await openTestDb(backend);
    L = await createTestLedger(t.db);
    await addTransportBureau(L, [
      ["tr.op", "tr", "operator"],
      ["tr.gone", "tr", "operator"],
    ]);
    // A second transport bureau, to be disabled; and a key of "tr" to be revoked.
    const tr2 = generateKeyPair();
    const old = generateKeyPair();
    L.keystore.set("k.tr2", tr2.secretKey);
    L.keystore.set("k.tr.old", old.secretKey);
    await sys("dept.create", { id: "tr2", parent: "sz", name: "交通运输局二", nameEn: "Transport Bureau 2", kind: "bureau", bureau: "transport" });
    await sys("key.register", { id: "k.tr2", publicKey: tr2.publicKey, dept: "tr2", kind: "dept" });
    await sys("key.register", { id: "k.tr.old", publicKey: old.publicKey, dept: "tr", kind: "dept" });
    await sys("key.revoke", { id: "k.tr.old", reason: "轮换 rotated" });
    await sys("user.create", { id: "tr2.op", dept: "tr2", name: "tr2.op", role: "operator", clearance: 2, credential: CREDENTIAL });
    await sys("user.update", { id: "tr.gone", status: "disabled" });
  });
  afterAll(async () => {
    await L.node.close();
    await t.dispose();
  });

  it("refuses a disabled user's file as the ledger does", async () => {
    await expectFileRefused("tr", "tr.gone", "k.tr", /actor tr\.gone is disabled/);
  });

  it("refuses a file from a disabled department as the ledger does", async () => {
    await sys("dept.update", { id: "tr2", status: "disabled" });
    try {
      await expectFileRefused("tr2", "tr2.op", "k.tr2", /department tr2 is disabled/);
    } finally {
      await sys("dept.update", { id: "tr2", status: "active" });
    }
    // Active again: the same department's file is accepted by both.
    const { preview, submitted } = await both("tr2", "tr2.op", [company("co-tr2")]);
    expect([preview.fileError, preview.valid, submitted]).toEqual([null, 1, null]);
  });

  it("refuses a file signed by another department's key, a revoked key or a key the node does not hold", async () => {
    await expectFileRefused("tr", "tr.op", "k.tp", /key k\.tp does not sign for tr/);
    await expectFileRefused("tr", "tr.op", "k.tr.old", /signer k\.tr\.old is revoked/);
    await expectFileRefused("tr", "tr.op", "k.nobody", /this node holds no key k\.nobody/);
  });

  it("refuses unknown actors, actors of another department and submitters without authority", async () => {
    await expectFileRefused("tr", "nobody", "k.tr", /unknown actor nobody/);
    await expectFileRefused("tr", "op", "k.tr", /actor op does not belong to tr/);
    await expectFileRefused("tp", "viewer", "k.tp", /role viewer may not submit company\.register/);
    // The bureau is the rows' contract's own check: the preview names the row, as the ledger does.
    const { preview, submitted } = await both("tp", "op", [company("co-tp")]);
    expect(preview.fileError).toBeNull();
    expect(preview.rows[0]).toEqual({ index: 0, ok: false, errors: ["only the transport bureau may submit company.register"] });
    expect(submitted).toBe(rowMessage(0, preview.rows[0].errors[0]));
  });

  it("names each refused row as the ledger names the first one", async () => {
    await L.node.submit({ type: "company.register", dept: "tr", actor: "tr.op", payload: company("taken") as never }, "k.tr");
    const rows = [company("fresh-1"), company("taken"), company("fresh-1")];
    const { preview, submitted } = await both("tr", "tr.op", rows);
    expect(preview.fileError).toBeNull();
    expect(preview.rows.map((r) => r.ok)).toEqual([true, false, false]);
    expect(submitted).toBe(rowMessage(1, preview.rows[1].errors[0]));
    expect(preview.rows[2].errors[0]).toMatch(/fresh-1/);
    expect(await L.node.store.record("company", "fresh-1")).toBeNull();
  });

  it("dry-runs any transaction: the writes it would make, none made; a used nonce is a replay, as on submit", async () => {
    const input = { type: "company.register", dept: "tr", actor: "tr.op", nonce: "dry-run-nonce-1", payload: company("dry-1") as never };
    const run = await L.node.dryRun(input, "k.tr");
    expect(run.ok && run.writes.map((w) => [w.ns, w.key])).toEqual([["company", "dry-1"]]);
    expect(await L.node.store.record("company", "dry-1")).toBeNull();
    await L.node.submit(input, "k.tr");
    const again = await L.node.dryRun({ ...input, payload: company("dry-2") as never }, "k.tr");
    const submitted = await L.node.submit({ ...input, payload: company("dry-2") as never }, "k.tr").catch((e: TxRejectedError) => e);
    expect(again.ok ? null : [again.error.code, again.error.message]).toEqual(["replay", "nonce dry-run-nonce-1 already used by tr.op"]);
    expect(submitted).toMatchObject({ code: "replay", message: "nonce dry-run-nonce-1 already used by tr.op" });
  });

  it("accepts a valid file, and submitting it commits", async () => {
    const rows = [company("ok-1"), company("ok-2")];
    const preview = await previewImport(L.node, { type: "company.register", rows, dept: "tr", actor: "tr.op", signer: "k.tr" });
    expect(preview).toEqual({ fileError: null, fileErrorCode: null, rows: [0, 1].map((index) => ({ index, ok: true, errors: [] })), valid: 2, invalid: 0 });
    // The preview wrote nothing.
    expect(await L.node.store.record("company", "ok-1")).toBeNull();
    const c = await L.node.submit({ type: "registry.import", dept: "tr", actor: "tr.op", payload: { type: "company.register", rows } as never }, "k.tr");
    expect(c.seq).toBeGreaterThan(0);
    expect((await L.node.store.record<{ id: string }>("company", "ok-2"))?.value.id).toBe("ok-2");
  });
});
