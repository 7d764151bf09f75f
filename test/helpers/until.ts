/**
 * Waits for a condition instead of for a time: polls `fn` until it returns something truthy (which
 * it returns), and fails naming `what` after `ms`, a bound meant to be generous, never a schedule.
 */
export async function until<T>(what: string, fn: () => T | Promise<T>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
