import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { aciClient } from '../helpers/aci.js';
import { kubeClient, until } from '../helpers/emulated.js';

const bin = fileURLToPath(new URL('../../bin/vnodes.js', import.meta.url));
const NODE = 'vnodes-e2e';
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ scenario: 'addon-enabled', lroDelayMs: 10 });
});
afterAll(() => emu.close());

describe('provider run --foreground, spawned', () => {
  it('Ctrl-C drains: deletes its container groups and its node, exits 130; stdout is NDJSON only', async () => {
    const child = spawn(
      process.execPath,
      [
        bin,
        'provider',
        'run',
        '--foreground',
        '--cluster',
        'aks-demo',
        '-g',
        'rg-aks',
        '--node-name',
        NODE,
        '--sync-interval',
        '200ms',
        '-o',
        'json',
      ],
      { env: { PATH: process.env.PATH!, HOME: '/nonexistent', ...emu.env() } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const core = await kubeClient(emu);
    await until(async () => (await core.listNode()).items.some((n) => n.metadata?.name === NODE), 15_000);
    await core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'e2e' }, spec: { nodeName: NODE, containers: [{ name: 'c', image: 'nginx' }] } },
    });
    const aci = aciClient(emu);
    const rg = 'MC_rg-aks_aks-demo_eastus';
    await until(
      async () => (await aci.containerGroups.get(rg, 'default-e2e').catch(() => undefined)) !== undefined,
      15_000,
    );
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ event: 'stopped', kept: false, deleted: 1 });
    expect(await aci.containerGroups.get(rg, 'default-e2e').catch((e: { statusCode?: number }) => e.statusCode)).toBe(
      404,
    );
    expect((await core.listNode()).items.map((n) => n.metadata?.name)).not.toContain(NODE);
  }, 30_000);
});
