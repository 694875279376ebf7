import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { kubeClient, startEmulated, until, virtualNodePod } from '../helpers/emulated.js';
import { aciClient } from '../helpers/aci.js';
import { run } from '../helpers/run-cli.js';

const RG = 'MC_rg-aks_aks-demo_eastus';
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('emulator gaps', () => {
  it("a Secret's stringData is merged into data, base64, and never read back", async () => {
    const emu = (emulator = await startEmulated({ scenario: 'healthy' }));
    const core = await kubeClient(emu);
    await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 's' }, data: { a: Buffer.from('old').toString('base64') }, stringData: { b: 'pw' } },
    });
    let secret = await core.readNamespacedSecret({ namespace: 'default', name: 's' });
    expect(secret.data).toEqual({ a: 'b2xk', b: 'cHc=' });
    expect(secret.stringData).toBeUndefined();
    await core.replaceNamespacedSecret({
      namespace: 'default',
      name: 's',
      body: { metadata: { name: 's' }, data: secret.data, stringData: { a: 'new' } },
    });
    secret = await core.readNamespacedSecret({ namespace: 'default', name: 's' });
    expect(secret.data).toEqual({ a: Buffer.from('new').toString('base64'), b: 'cHc=' });
    expect(secret.stringData).toBeUndefined();
  });

  it('status counts the addresses container groups hold in the ACI subnet', async () => {
    const emu = (emulator = await startEmulated({ scenario: 'addon-enabled' }));
    const core = await kubeClient(emu);
    await until(
      async () => (await core.listNode()).items.some((n) => n.metadata?.name === 'virtual-node-aci-linux'),
      10_000,
    );
    const before = (await run(['status', '--cluster', 'aks-demo', '-g', 'rg-aks', '-o', 'json'], emu.env())).json();
    await core.createNamespacedPod({ namespace: 'default', body: virtualNodePod('web', 'nginx') });
    const aci = aciClient(emu);
    await until(
      async () => (await aci.containerGroups.get(RG, 'default-web').catch(() => undefined)) !== undefined,
      10_000,
    );
    const r = await run(['status', '--cluster', 'aks-demo', '-g', 'rg-aks'], emu.env());
    const after = (await run(['status', '--cluster', 'aks-demo', '-g', 'rg-aks', '-o', 'json'], emu.env())).json();
    expect(after.subnet.containerGroupIps).toBe(before.subnet.containerGroupIps + 1);
    expect(after.subnet.usedIps).toBe(before.subnet.usedIps + 1);
    expect(r.stdout).toMatch(
      new RegExp(`${after.subnet.usedIps} IP\\(s\\) used \\(${after.subnet.containerGroupIps} by container groups\\)`),
    );
  });
});
