/**
 * The structure the code keeps (issue 25's "done means"), checked on every run so a change cannot
 * quietly undo it: tRPC errors only at the API edge, no SQL in routers, the record-id pattern
 * declared once, no hand-kept type switch in the explorer, short routers, and chain/ free of the
 * server, the pages and the environment.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "*.ts", "*.tsx"], { encoding: "utf8" })
  .split("\n")
  .filter((f) => f && !f.startsWith("node_modules/"));
const source = files.filter((f) => !/\.test\.tsx?$/.test(f) && !f.startsWith("e2e/") && !f.startsWith("test/"));
const text = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
const where = (pick: (f: string) => boolean, pattern: RegExp) => source.filter((f) => pick(f) && pattern.test(text.get(f)!));

describe("code structure", () => {
  it("throws tRPC errors only in server/api (domain modules throw domain errors)", () => {
    expect(where((f) => f.startsWith("server/") && !f.startsWith("server/api/"), /TRPCError/)).toEqual([]);
  });

  it("keeps SQL out of server/api", () => {
    expect(where((f) => f.startsWith("server/api/"), /\bdb\.query\b|\bSELECT\s|state_records|ledger_txs/)).toEqual([]);
  });

  it("declares the record-id pattern in one file", () => {
    const pattern = ["[a-z0-9]", "[a-z0-9._-]{0,63}"].join("");
    expect(files.filter((f) => text.get(f)!.includes(pattern))).toEqual(["chain/contracts/ids.ts"]);
  });

  it("has no per-type switch in the explorer (scopes and subjects come from the contracts)", () => {
    expect(where((f) => f.startsWith("server/explorer/"), /case "/)).toEqual([]);
  });

  it("keeps routers short", () => {
    const long = source.filter((f) => f.startsWith("server/api/routers/")).filter((f) => text.get(f)!.split("\n").length > 130);
    expect(long).toEqual([]);
  });

  it("keeps chain/ free of the server, the pages, React and the environment (the CLI entry reads it)", () => {
    expect(where((f) => f.startsWith("chain/"), /from "(\.\.\/)+(server|app|components|lib)\/|from "(react|next)[/"]|from "@\//)).toEqual([]);
    expect(where((f) => f.startsWith("chain/") && f !== "chain/cli.ts", /process\.env/)).toEqual([]);
  });
});
