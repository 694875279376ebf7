// The fault matrix: Azure slow or unkind on purpose, through the emulator's fault rules, against the real SDK
// clients. Each case asserts the exit code, the class of message, and that a re-run converges with nothing lost.
// Times are measured and bounded generously (an order of magnitude under the Retry-After), never asserted tightly.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { run } from '../helpers/run-cli.js';

const CLUSTER = ['--cluster', 'aks-demo', '-g', 'rg-aks'];
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});
async function on(scenario: string, options: EmulatorOptions = {}) {
  emulator = await startEmulator({
    scenario,
    lroDelayMs: 10,
    principalPropagationMs: 0,
    connectorReconcileMs: 50,
    ...options,
  });
  return emulator;
}

/** Runs argv in-process and aborts it (as SIGINT does) once the emulator has answered `faulted` requests with 429. */
async function interruptAfter429(emu: Emulator, argv: string[]) {
  const controller = new AbortController();
  const started = performance.now();
  let abortedAt = 0;
  const watcher = setInterval(() => {
    if (emu.requests.count({ status: 429 }) > 0 && !controller.signal.aborted) {
      abortedAt = performance.now();
      controller.abort(new Error('SIGINT'));
    }
  }, 5);
  try {
    const r = await run(argv, emu.env(), { signal: controller.signal });
    return { ...r, afterAbortMs: performance.now() - abortedAt, totalMs: performance.now() - started };
  } finally {
    clearInterval(watcher);
  }
}

describe('429 with a long Retry-After, then Ctrl-C', () => {
  const commands: [string, string[]][] = [
    ['check-region', ['check-region', '-l', 'eastus']],
    ['check-network', ['check-network', ...CLUSTER]],
    ['status', ['status', ...CLUSTER]],
    ['disable', ['disable', ...CLUSTER, '--yes']],
    ['subnet create', ['subnet', 'create', ...CLUSTER, '--yes']],
  ];
  it.each(commands)('%s stops at once with exit 130 and prints no result', async (_name, argv) => {
    const emu = await on('healthy', { faults: '429/30:x1' });
    const r = await interruptAfter429(emu, argv);
    expect(r.exitCode, r.stderr).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: Interrupted\.$/m);
    expect(r.stderr).toMatch(/^fix: /m);
    // The Retry-After is 30 s; the run ends within a small fraction of it.
    expect(r.afterAbortMs).toBeLessThan(10_000);
  });

  it('a Retry-After longer than vnodes waits fails at once, naming the wait', async () => {
    const emu = await on('healthy', { faults: '429/120:x1' });
    const t0 = performance.now();
    const r = await run(['check-region', '-l', 'eastus', '-o', 'json'], emu.env());
    expect(performance.now() - t0).toBeLessThan(60_000);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/wait 120 s/);
    expect(r.stderr).toMatch(/^fix: .*re-run/m);
  });
});
