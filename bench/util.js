// Small helpers shared by the bench scripts.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

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

/**
 * Runs an emulator in a process of its own, as ARM and the API server are on other machines: in vnodes' process,
 * its TLS handshakes and request handling would share vnodes' one event loop and count as client time. `args` start
 * a Node.js script that prints NDJSON events on stdout, one `{ type: 'serving', env }` once it serves (as
 * `vnodes emulator start -o json` does). Resolves with that environment, `next(type)` for a later event, `send` for
 * a line to the script's stdin, and `stop`.
 */
export async function startEmulatorProcess(args) {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const events = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (type) => {
    for (;;) {
      const { value, done } = await events.next();
      if (done) throw new Error(`the emulator process ended before a "${type}" event`);
      const event = JSON.parse(value);
      if (event.type === type) return event;
    }
  };
  const { env } = await next('serving');
  return {
    env,
    next,
    send: (line) => child.stdin.write(`${line}\n`),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}
