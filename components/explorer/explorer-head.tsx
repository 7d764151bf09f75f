/** Heading with breadcrumbs for explorer pages. */
import Link from "next/link";
import type { ReactNode } from "react";
import type { Dictionary } from "@/lib/i18n/dictionaries";

export function ExplorerHead({ t, title, sub }: { t: Dictionary; title?: ReactNode; sub?: ReactNode }) {
  return (
    <div className="page-head">
      <div style={{ minWidth: 0 }}>
        {title ? (
          <div className="crumbs">
            <Link href="/explorer">{t.explorer.title}</Link> /
          </div>
        ) : null}
        <h1 className="break">{title ?? t.explorer.title}</h1>
        <p>{sub ?? t.explorer.subtitle}</p>
      </div>
    </div>
  );
}
