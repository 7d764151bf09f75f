"use client";
/** A hash shown short (full on hover) with a copy button; links when href is given. */
import Link from "next/link";
import { useState } from "react";
import { shortHash } from "@/lib/format";
import { useI18n } from "@/lib/i18n/client";

export function HashText({ hash, href, full = false, copy = true }: { hash: string; href?: string; full?: boolean; copy?: boolean }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const text = full ? hash : shortHash(hash);
  return (
    <span className="row" style={{ gap: 6, flexWrap: "nowrap", minWidth: 0 }}>
      {href ? (
        <Link href={href} className={`mono ${full ? "break" : ""}`} title={hash}>
          {text}
        </Link>
      ) : (
        <span className={`mono ${full ? "break" : ""}`} title={hash}>
          {text}
        </span>
      )}
      {copy ? (
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          aria-label={t.common.copy}
          onClick={() => {
            void navigator.clipboard?.writeText(hash).then(() => {
              setCopied(true);
              setTimeout(() => setCopied(false), 1200);
            });
          }}
        >
          {copied ? t.common.copied : t.common.copy}
        </button>
      ) : null}
    </span>
  );
}
