// Small helpers shared by the bench scripts.

/** Median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Wall time of a synchronous function, in ms. */
export function time(fn) {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Wall time of an async function, in ms, with its result. */
export async function timeAsync(fn) {
  const t0 = performance.now();
  const result = await fn();
  return { ms: performance.now() - t0, result };
}

/** A writable that keeps what it is given, for running the CLI in-process. */
export function sink() {
  let text = '';
  return {
    write: (s) => (text += s),
    isTTY: false,
    get text() {
      return text;
    },
  };
}
