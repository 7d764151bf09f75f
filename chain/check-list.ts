/** An ordered list of named checks, as receipt and consistency verification report them. Pure and browser-safe. */

/**
 * "ok": every check passed against pinned node keys. "invalid": a check failed. "unanchored": every
 * check passed, but nothing was pinned, so whoever made the file could have made its keys too.
 */
export type Verdict = "ok" | "invalid" | "unanchored";

export interface CheckReport {
  /** verdict === "ok". */
  ok: boolean;
  verdict: Verdict;
  /** One line per check, in order; the first failing one explains the verdict. */
  checks: { name: string; ok: boolean; detail?: string }[];
}

/** `check(name, fn)` runs one check (true, or why not; a throw counts as why not); `report(anchored)` gives the verdict. */
export function checkList(): { check: (name: string, fn: () => true | string) => void; report: (anchored: boolean) => CheckReport } {
  const checks: CheckReport["checks"] = [];
  return {
    check(name, fn) {
      let res: true | string;
      try {
        res = fn();
      } catch (e) {
        res = (e as Error).message;
      }
      checks.push(res === true ? { name, ok: true } : { name, ok: false, detail: res });
    },
    report(anchored) {
      const verdict: Verdict = !checks.every((c) => c.ok) ? "invalid" : anchored ? "ok" : "unanchored";
      return { ok: verdict === "ok", verdict, checks };
    },
  };
}
