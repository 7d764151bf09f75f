/** One-line subjects of transactions whose records carry no id of their own (inbox, explorer, search). */
import { describe, expect, it } from "vitest";
import { subjectOf } from "./describe";

describe("subjectOf", () => {
  it("names the dataset, record or vehicle a transaction is about", () => {
    expect(subjectOf("data.read", { dataset: "identity.registry", basis: "owner", fields: ["name", "idNumber"], records: 1 })).toBe("identity.registry · 1 × name, idNumber");
    expect(subjectOf("dataset.record", { dataset: "tp.violations", key: "v-001" })).toBe("tp.violations/v-001");
    expect(subjectOf("dataset.key", { dataset: "tp.violations", rotate: true })).toBe("tp.violations ↻");
    expect(subjectOf("mileage.record", { plate: "粤B12345", odometerKm: 1234.5 })).toBe("粤B12345 · 1234.5 km");
    expect(subjectOf("alarm.act", { id: "alm-12345678", action: "close" })).toBe("alm-12345678 · close");
    expect(subjectOf("user.create", { id: "tp.op", name: "操作员" })).toBe("操作员 (tp.op)");
    expect(subjectOf("file.anchor", undefined)).toBe("");
  });
});
