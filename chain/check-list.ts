/** An ordered list of named checks, as receipt and consistency verification report them. Pure and browser-safe. */

export interface CheckReport {
  ok: boolean;
  /** One line per check, in order; the first failing one explains the verdict. */
  checks: { name: string; ok: boolean; detail?: string }[];
}

/** `check(name, fn)` runs one check (true, or why not; a throw counts as why not); `report()` gives the verdict. */
export function checkList(): { check: (name: string, fn: () => true | string) => void; report: () => CheckReport } {
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
    report: () => ({ ok: checks.every((c) => c.ok), checks }),
  };
}
