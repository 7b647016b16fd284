/**
 * Polls until the extension or the workbench reaches a state it reaches
 * asynchronously; no timing is asserted, the deadline only ends a hung test.
 * `untilWithin(ms)` gives a file its own deadline.
 */
export type Probe<T> = () => T | undefined | null | false | Promise<T | undefined | null | false>;

export function untilWithin(timeoutMs: number, intervalMs = 50) {
  return async function until<T>(what: string, probe: Probe<T>, ms = timeoutMs): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value) return value;
      if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  };
}
