import { describe, expect, it } from "vitest";
import { authorityLine, authorityReads, mayManage } from "./authority.js";

// sz ─┬─ sz.tp ─┬─ sz.tp.futian
//     │         └─ sz.tp.nanshan
//     └─ sz.futian ── sz.futian.tp
const PARENT: Record<string, string | null> = { sz: null, "sz.tp": "sz", "sz.tp.futian": "sz.tp", "sz.tp.nanshan": "sz.tp", "sz.futian": "sz", "sz.futian.tp": "sz.futian" };
const dept = (id: string) => (id in PARENT ? { parent: PARENT[id] } : undefined);

describe("mayManage: the owner department or an ancestor along a line that holds", () => {
  it("lets the owner act without a line", () => {
    expect(mayManage(dept, "sz.tp.futian", "sz.tp.futian")).toBe(true);
  });

  it("lets the parent and the root act along the owner's line", () => {
    expect(mayManage(dept, "sz.tp", "sz.tp.futian", ["sz.tp.futian", "sz.tp"])).toBe(true);
    expect(mayManage(dept, "sz", "sz.tp.futian", ["sz.tp.futian", "sz.tp", "sz"])).toBe(true);
  });

  it("refuses an ancestor without a line, and any non-ancestor whatever line it names", () => {
    expect(mayManage(dept, "sz.tp", "sz.tp.futian")).toBe(false);
    // a sibling claiming to be the owner's parent
    expect(mayManage(dept, "sz.tp.nanshan", "sz.tp.futian", ["sz.tp.futian", "sz.tp.nanshan"])).toBe(false);
    // a district traffic police under another branch of the tree, over a city bureau's record
    expect(mayManage(dept, "sz.futian.tp", "sz.tp", ["sz.tp", "sz.futian.tp"])).toBe(false);
    expect(mayManage(dept, "sz.futian.tp", "sz.tp", ["sz.tp", "sz", "sz.futian", "sz.futian.tp"])).toBe(false);
    // a descendant is not an ancestor
    expect(mayManage(dept, "sz.tp.futian", "sz.tp", ["sz.tp", "sz.tp.futian"])).toBe(false);
  });

  it("refuses a line that does not start at the owner or end at the writer", () => {
    expect(mayManage(dept, "sz", "sz.tp.futian", ["sz.tp", "sz"])).toBe(false);
    expect(mayManage(dept, "sz", "sz.tp.futian", ["sz.tp.futian", "sz.tp"])).toBe(false);
    expect(mayManage(dept, "sz.tp", "sz.tp.futian", ["sz.tp.futian", "sz.tp", "sz"])).toBe(false);
  });

  it("refuses a line through an unknown department", () => {
    expect(mayManage(dept, "sz", "sz.ghost", ["sz.ghost", "sz"])).toBe(false);
  });

  it("reads exactly the departments the line names and bounds its shape", () => {
    expect(authorityReads({ authority: ["sz.tp.futian", "sz.tp"] })).toEqual([
      ["dept", "sz.tp.futian"],
      ["dept", "sz.tp"],
    ]);
    expect(authorityReads({})).toEqual([]);
    expect(authorityLine.safeParse(["sz.tp"]).success).toBe(false);
    expect(authorityLine.safeParse(Array.from({ length: 17 }, (_, i) => `d${i}`)).success).toBe(false);
    expect(authorityLine.safeParse(["sz.tp", "SZ"]).success).toBe(false);
  });
});
