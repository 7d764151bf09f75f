import { describe, expect, it } from "vitest";
import { csvCell, csvRecords, parseCsv, toCsv } from "../lib/csv";

describe("CSV", () => {
  it("parses quoted fields with commas, doubled quotes and line breaks, CRLF, a BOM, and skips blank lines", () => {
    const text = '\ufeffid,name,note\r\nsz-taxi,"深圳出租, 一公司","说 ""你好""\n第二行"\r\n\r\ndidi,滴滴,\n';
    expect(parseCsv(text)).toEqual([
      ["id", "name", "note"],
      ["sz-taxi", "深圳出租, 一公司", '说 "你好"\n第二行'],
      ["didi", "滴滴", ""],
    ]);
  });
  it("refuses an unterminated quote, naming its line", () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3')).toThrow(/line 2/);
  });
  it("round-trips through toCsv, and neutralises formulas on export", () => {
    const rows = [{ id: "x", name: 'a "quoted", name', n: 12 }, { id: "=HYPERLINK(1)", name: "-5", n: -3 }];
    const text = toCsv(["id", "name", "n"], rows);
    expect(text.startsWith("\ufeff")).toBe(true);
    const back = csvRecords(text).records;
    expect(back[0]).toEqual({ id: "x", name: 'a "quoted", name', n: "12" });
    expect(back[1].id).toBe("'=HYPERLINK(1)");
    expect(back[1].name).toBe("-5");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
  });
});
