// Two `enable --yes` at once on the same cluster: AKS runs one operation at a time, so the second waits for the
// first (OperationNotAllowed, or a cluster read as Updating) and then finds the job done, instead of failing with a
// misleading message. Both end enabled, with one subnet, one add-on identity and one role assignment.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { run } from '../helpers/run-cli.js';
import { sdkClients } from '../helpers/emulated.js';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const ENABLE = ['enable', '--cluster', 'aks-demo', '-g', 'rg-aks', '--yes', '--poll-interval', '50ms', '-o', 'json'];

describe('concurrent enable', () => {
  it('the second waits for the operation in progress and converges', async () => {
    emu = await startEmulator({
      scenario: 'healthy',
      lroDelayMs: 600,
      principalPropagationMs: 0,
      connectorReconcileMs: 50,
    });
    const env = emu.env();
    const [a, b] = await Promise.all([run(ENABLE, env), run(ENABLE, env)]);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);
    expect(a.stderr + b.stderr).not.toMatch(/reported no identity/);
    const actions = [a.json().addon.action, b.json().addon.action].sort();
    expect(actions).toEqual(['enabled', 'unchanged']);
    const { aks } = sdkClients(emu);
    const cluster = await aks.managedClusters.get('rg-aks', 'aks-demo');
    expect(cluster.provisioningState).toBe('Succeeded');
    expect(cluster.addonProfiles?.aciConnectorLinux?.identity?.objectId).toBeTruthy();
  });

  it('waits when it finds the cluster Updating (someone else enabling it), then sees the job done', async () => {
    emu = await startEmulator({
      scenario: 'healthy',
      lroDelayMs: 800,
      principalPropagationMs: 0,
      connectorReconcileMs: 50,
    });
    const env = emu.env();
    const first = run(ENABLE, env);
    // Start the second once the first's cluster PUT is in flight.
    for (let i = 0; i < 400 && emu.requests.count({ operation: 'ManagedClusters_CreateOrUpdate' }) === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    const second = await run(ENABLE, env);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.json().addon.action).toBe('unchanged');
    expect(second.stderr).not.toMatch(/reported no identity/);
    expect((await first).exitCode).toBe(0);
  });
});
