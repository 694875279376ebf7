import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { run } from '../helpers/run-cli.js';

// Issue 12, defect 13: --debug logs each Kubernetes API call as it logs ARM's, and never a token.
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ scenario: 'addon-enabled' });
});
afterAll(() => emu.close());

describe('--debug and the Kubernetes API', () => {
  it('logs one line per call with method, URL and status, and no token', async () => {
    const r = await run(['status', '--cluster', 'aks-demo', '-g', 'rg-aks', '--debug'], emu.env());
    expect(r.exitCode).toBe(0);
    const api = await emu.kube('aks-demo');
    const server = new URL(api.url).origin;
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('debug: kube '));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines)
      expect(line).toMatch(new RegExp(`^debug: kube (GET|POST|PUT|PATCH|DELETE) ${server}/\\S+ -> \\d{3} in \\d+ ms$`));
    expect(lines.some((l) => l.includes('/api/v1/nodes'))).toBe(true);
    // The kubeconfig's user token, and the ARM token, appear nowhere.
    const config = new KubeConfig();
    config.loadFromString(api.kubeconfig());
    const token = config.getCurrentUser()?.token;
    expect(token).toBeTruthy();
    expect(r.stderr + r.stdout).not.toContain(token!);
    expect(r.stderr + r.stdout).not.toContain(emu.token);
  });

  it('logs nothing without --debug', async () => {
    const r = await run(['status', '--cluster', 'aks-demo', '-g', 'rg-aks'], emu.env());
    expect(r.stderr).not.toContain('kube GET');
  });
});
