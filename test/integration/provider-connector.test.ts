import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { kubeClient, startEmulated, until, virtualNodePod } from '../helpers/emulated.js';
import { aciClient } from '../helpers/aci.js';
import { run } from '../helpers/run-cli.js';
import { sampleDeployment } from '../../src/cluster/sample.js';
import { applyManifest, waitForPod } from '../../src/kube/apply.js';
import { kubeConfigFromString } from '../../src/kube/provider-objects.js';

const RG = 'MC_rg-aks_aks-demo_eastus';
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('the emulated add-on connector is vnodes provider', () => {
  it('registers virtual-node-aci-linux with its lease and runs a bound pod as a container group', async () => {
    const emu = (emulator = await startEmulated({ scenario: 'addon-enabled' }));
    const core = await kubeClient(emu);
    await until(
      async () => (await core.listNode()).items.some((n) => n.metadata?.name === 'virtual-node-aci-linux'),
      10_000,
    );
    const node = await core.readNode({ name: 'virtual-node-aci-linux' });
    expect(node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address).toBe('10.240.0.35');
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    await core.createNamespacedPod({ namespace: 'default', body: virtualNodePod('hello', 'nginx') });
    const aci = aciClient(emu);
    await until(
      async () => (await aci.containerGroups.get(RG, 'default-hello').catch(() => undefined)) !== undefined,
      10_000,
    );
    const pod = await core.readNamespacedPod({ namespace: 'default', name: 'hello' });
    expect(pod.spec?.nodeName).toBe('virtual-node-aci-linux');
    const connector = (
      await core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'app=aci-connector-linux' })
    ).items[0]!;
    const log = await core.readNamespacedPodLog({ namespace: 'kube-system', name: connector.metadata!.name! });
    expect(log).toContain('default/hello: PUT container group default-hello');
    await core.deleteNamespacedPod({ namespace: 'default', name: 'hello' });
    await until(
      async () => (await aci.containerGroups.get(RG, 'default-hello').catch(() => undefined)) === undefined,
      10_000,
    );
    await until(
      async () =>
        !(await core.listNamespacedPod({ namespace: 'default' })).items.some((p) => p.metadata?.name === 'hello'),
      10_000,
    );
  });

  it('after vnodes enable, the sample deployment enable prints reaches Running on the virtual node', async () => {
    const emu = (emulator = await startEmulated({ scenario: 'healthy' }));
    const enabled = await run(
      ['enable', '--cluster', 'aks-demo', '-g', 'rg-aks', '--yes', '--poll-interval', '50ms', '-o', 'json'],
      emu.env(),
    );
    expect(enabled.exitCode, enabled.stderr).toBe(0);
    const config = await kubeConfigFromString((await emu.kube()).kubeconfig());
    await applyManifest(config, sampleDeployment());
    const pod = await waitForPod(config, 'default', 'app=aci-helloworld', 'Running', 20_000);
    expect(pod?.spec?.nodeName).toBe('virtual-node-aci-linux');
    expect(pod?.status?.containerStatuses?.[0]).toMatchObject({ ready: true, state: { running: expect.anything() } });
  });
});
