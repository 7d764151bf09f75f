"use client";
/** Jump to a transaction (hash), a block (height) or a record's history (ns/key). */
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";

export function ExplorerLookup() {
  const { t, locale } = useI18n();
  const router = useRouter();
  const [q, setQ] = useState("");
  const [ns, setNs] = useState("user");
  const [key, setKey] = useState("");
  return (
    <div className="grid grid-2">
      <form
        className="row"
        style={{ flexWrap: "nowrap" }}
        onSubmit={(e) => {
          e.preventDefault();
          const v = q.trim().toLowerCase();
          if (/^\d+$/.test(v)) router.push(`/explorer/block/${v}`);
          else if (v) router.push(`/explorer/tx/${v}`);
        }}
      >
        <input className="input" placeholder={locale === "en" ? "Transaction hash or block height" : "交易哈希或区块高度"} aria-label={t.explorer.lookup} value={q} onChange={(e) => setQ(e.target.value)} data-testid="explorer-lookup" />
        <button className="btn" type="submit">
          {t.explorer.lookup}
        </button>
      </form>
      <form
        className="row"
        style={{ flexWrap: "nowrap" }}
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) router.push(`/explorer/record?ns=${encodeURIComponent(ns)}&key=${encodeURIComponent(key.trim())}`);
        }}
      >
        <select className="input" style={{ width: 110, flex: "none" }} value={ns} onChange={(e) => setNs(e.target.value)} aria-label={t.explorer.ns}>
          {["user", "dept", "key", "rule", "node", "anchor", "config"].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
        <input className="input" placeholder={t.explorer.key} aria-label={t.explorer.key} value={key} onChange={(e) => setKey(e.target.value)} />
        <button className="btn btn-ghost" type="submit">
          {t.explorer.history}
        </button>
      </form>
    </div>
  );
}
