import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
import { afterEach, describe, expect, it } from 'vitest';
import type { V1Pod } from '@kubernetes/client-node';
import { aciClient } from '../helpers/aci.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { run, type CliRun } from '../helpers/run-cli.js';
import { kubeClient, until } from '../helpers/emulated.js';

const NODE = 'vnodes-debug-test';
const RG = 'MC_rg-aks_aks-demo_eastus';
const CLUSTER = [
  '--cluster',
  'aks-demo',
  '-g',
  'rg-aks',
  '--node-name',
  NODE,
  '--sync-interval',
  '100ms',
  '--refresh-interval',
  '1s',
];
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function groups(emu: Emulator): Promise<string[]> {
  const out: string[] = [];
  for await (const g of aciClient(emu).containerGroups.listByResourceGroup(RG)) out.push(g.name!);
  return out.sort();
}
const podOn = (name: string, extra: Partial<V1Pod['spec']> = {}): V1Pod => ({
  metadata: { name, namespace: 'default' },
  spec: {
    nodeName: NODE,
    tolerations: [{ operator: 'Exists' }],
    containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
    ...extra,
  },
});

/** Starts `provider run` in-process; stop() aborts it (Ctrl-C) and gives its output. */
function startProvider(emu: Emulator, extra: string[] = []) {
  const controller = new AbortController();
  const done = run(['provider', 'run', '--foreground', ...CLUSTER, ...extra, '-o', 'json'], emu.env(), {
    signal: controller.signal,
  });
  return {
    done,
    async stop(): Promise<CliRun> {
      controller.abort();
      return done;
    },
  };
}
const events = (r: CliRun) =>
  r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('provider run against the emulator', () => {
  it('registers its node, turns a pod into a container group, and drains on Ctrl-C', async () => {
    const emu = (emulator = await startEmulator({
      scenario: 'addon-enabled',
      lroDelayMs: 10,
      connectorReconcileMs: 50,
    }));
    const core = await kubeClient(emu);
    const provider = startProvider(emu);
    await until(async () => (await core.listNode()).items.some((n) => n.metadata?.name === NODE), 10_000);
    const node = await core.readNode({ name: NODE });
    expect(node.metadata?.labels).toMatchObject({
      type: 'virtual-kubelet',
      'kubernetes.io/role': 'agent',
      'kubernetes.io/os': 'linux',
    });
    expect(node.spec?.taints).toEqual([{ key: 'virtual-kubelet.io/provider', value: 'azure', effect: 'NoSchedule' }]);
    expect(node.status?.capacity).toMatchObject({ pods: '100', cpu: '100' });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    await core.createNamespacedPod({ namespace: 'default', body: podOn('web') });
    await until(async () => (await groups(emu)).includes('default-web'), 10_000);
    const cg = await aciClient(emu).containerGroups.get(RG, 'default-web');
    expect(cg.tags).toMatchObject({ Namespace: 'default', PodName: 'web', NodeName: NODE });
    expect(cg.subnetIds?.[0]?.id).toMatch(/subnets\/virtual-node-aci$/);
    const r = await provider.stop();
    expect(r.exitCode, r.stderr).toBe(0);
    require('node:fs').writeFileSync('/tmp/prov-out.txt', r.stdout + r.stderr);
    const kinds = events(r).map((e) => e.event);
    expect(kinds).toEqual(
      expect.arrayContaining(['started', 'node-registered', 'pod-seen', 'translated', 'put', 'draining', 'stopped']),
    );
    expect(await groups(emu)).toEqual([]);
    expect((await core.listNode()).items.map((n) => n.metadata?.name)).not.toContain(NODE);
  });
});
