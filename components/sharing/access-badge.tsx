/** How the signed-in user stands towards a dataset: own data, hierarchy, granted, or no access (with why). */
import type { SharingStrings } from "./strings";

export type AccessView = { ok: true; basis: string; rowFilter?: Record<string, string> | null } | { ok: false; code: string; reason: string };

export function AccessBadge({ access, s }: { access: AccessView; s: SharingStrings }) {
  if (access.ok) {
    const filter = access.rowFilter ? ` · ${Object.values(access.rowFilter).join(", ")}` : "";
    return <span className={access.basis === "grant" ? "badge blue" : "badge ok"} data-testid="access-badge">{s.basis[access.basis] ?? access.basis}{filter}</span>;
  }
  return (
    <span className="badge bad" title={access.reason} data-testid="access-badge">
      {s.denied}
    </span>
  );
}

export function SensitivityBadge({ level, s }: { level: number; s: SharingStrings }) {
  return <span className={level >= 4 ? "badge bad" : level === 3 ? "badge warn" : level === 2 ? "badge blue" : "badge"}>{s.sensitivity[level]}</span>;
}
