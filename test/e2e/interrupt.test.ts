import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { until } from '../helpers/emulated.js';

const bin = fileURLToPath(new URL('../../bin/vnodes.js', import.meta.url));
let emu: Emulator;
beforeAll(async () => {
  // The add-on identity stays unknown to role assignments for 2 s, so enable sits in its PrincipalNotFound backoff.
  emu = await startEmulator({
    scenario: 'healthy',
    lroDelayMs: 10,
    principalPropagationMs: 2000,
    connectorReconcileMs: 50,
  });
});
afterAll(() => emu.close());

function vnodes(args: string[], env: Record<string, string> = emu.env()) {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH!, HOME: '/nonexistent', ...env },
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr, stdout: () => stdout };
}

describe('Ctrl-C', () => {
  it('stops enable during its wait with exit 130, and a re-run finishes the job', async () => {
    const first = vnodes([
      'enable',
      '--cluster',
      'aks-demo',
      '-g',
      'rg-aks',
      '--yes',
      '--timeout',
      '60s',
      '--poll-interval',
      '100ms',
    ]);
    await until(() => emu.requests.count({ status: 400 }) === 1, 15_000);
    const t0 = Date.now();
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(130);
    expect(first.stderr()).toContain('SIGINT: stopping');
    expect(first.stderr()).toContain('Interrupted');
    await until(() => Date.now() - t0 > 2100, 5000);

    const second = vnodes([
      'enable',
      '--cluster',
      'aks-demo',
      '-g',
      'rg-aks',
      '--yes',
      '--poll-interval',
      '100ms',
      '-o',
      'json',
    ]);
    expect(await second.exited).toBe(0);
    expect(JSON.parse(second.stdout())).toMatchObject({
      subnet: { action: 'unchanged' },
      addon: { action: 'unchanged' },
      role: { action: 'created' },
      wait: { node: { ready: true } },
    });
  }, 30_000);
});

describe('Ctrl-C during a Retry-After wait', () => {
  it('check-region exits 130 at once, well before the 30 s Retry-After, and prints no result', async () => {
    const throttled = await startEmulator({ scenario: 'healthy', faults: '429/30:x1' });
    try {
      const { child, exited, stdout, stderr } = vnodes(['check-region', '-l', 'eastus'], throttled.env());
      await until(() => throttled.requests.count({ status: 429 }) === 1, 15_000);
      const t0 = performance.now();
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      // Measured, then bounded generously: the wait would have been 30 s.
      expect(performance.now() - t0).toBeLessThan(10_000);
      expect(stdout()).toBe('');
      expect(stderr()).toMatch(/^error: Interrupted\.$/m);
    } finally {
      await throttled.close();
    }
  }, 30_000);
});
