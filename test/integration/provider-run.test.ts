import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoordinationV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
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
async function coordination(emu: Emulator): Promise<CoordinationV1Api> {
  const config = new KubeConfig();
  config.loadFromString((await emu.kube()).kubeconfig());
  return config.makeApiClient(CoordinationV1Api);
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
    expect(r.exitCode, r.stderr).toBe(130);
    const kinds = events(r).map((e) => e.event);
    expect(kinds).toEqual(
      expect.arrayContaining(['started', 'node-registered', 'pod-seen', 'translated', 'put', 'draining', 'stopped']),
    );
    expect(await groups(emu)).toEqual([]);
    expect((await core.listNode()).items.map((n) => n.metadata?.name)).not.toContain(NODE);
  });

  it('restarts and reconciles both ways, by tags: orphans deleted, missing groups created, the rest adopted', async () => {
    const emu = (emulator = await startEmulator({ scenario: 'addon-enabled', lroDelayMs: 10 }));
    const core = await kubeClient(emu);
    const first = startProvider(emu, ['--keep']);
    for (const name of ['a', 'b']) await core.createNamespacedPod({ namespace: 'default', body: podOn(name) });
    await until(async () => (await groups(emu)).length === 2, 10_000);
    const kept = await first.stop();
    expect(events(kept).at(-1)).toMatchObject({ event: 'stopped', kept: true });
    expect(await groups(emu)).toEqual(['default-a', 'default-b']);
    expect((await core.readNode({ name: NODE })).metadata?.name).toBe(NODE);
    // While no provider runs: pod a goes, pod c comes.
    await core.deleteNamespacedPod({ namespace: 'default', name: 'a', gracePeriodSeconds: 0 });
    await core.createNamespacedPod({ namespace: 'default', body: podOn('c') });
    const second = startProvider(emu);
    await until(async () => (await groups(emu)).join() === 'default-b,default-c', 10_000);
    const r = await second.stop();
    const log = events(r);
    expect(log).toContainEqual(
      expect.objectContaining({ event: 'orphan-deleted', group: 'default-a', pod: 'default/a' }),
    );
    expect(log).toContainEqual(expect.objectContaining({ event: 'adopted', pod: 'default/b', group: 'default-b' }));
    expect(log).toContainEqual(expect.objectContaining({ event: 'put', pod: 'default/c' }));
    expect(await groups(emu)).toEqual([]);
  });

  it('refuses a node name another live lease holds (exit 1), and --keep leaves node and groups', async () => {
    const emu = (emulator = await startEmulator({ scenario: 'addon-enabled', lroDelayMs: 10 }));
    const core = await kubeClient(emu);
    const first = startProvider(emu, ['--keep']);
    const leases = await coordination(emu);
    await until(
      async () =>
        (await leases.readNamespacedLease({ namespace: 'kube-node-lease', name: NODE }).catch(() => undefined)) !==
        undefined,
      10_000,
    );
    const second = await run(['provider', 'run', '--foreground', ...CLUSTER], emu.env());
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toContain(`Node name ${NODE} is in use`);
    expect(second.stderr).toContain('--node-name');
    await core.createNamespacedPod({ namespace: 'default', body: podOn('kept') });
    await until(async () => (await groups(emu)).includes('default-kept'), 10_000);
    await first.stop();
    expect(await groups(emu)).toEqual(['default-kept']);
    expect((await core.listNode()).items.map((n) => n.metadata?.name)).toContain(NODE);
  });

  it('keeps going through ARM 429 and 503 storms, honouring Retry-After', async () => {
    const emu = (emulator = await startEmulator({ scenario: 'addon-enabled', lroDelayMs: 10 }));
    const core = await kubeClient(emu);
    const provider = startProvider(emu);
    await until(async () => (await core.listNode()).items.some((n) => n.metadata?.name === NODE), 10_000);
    emu.setFaults('429/100ms:0.4:*/containerGroups*;503/50ms:0.2:*/containerGroups*');
    for (let i = 0; i < 6; i++) await core.createNamespacedPod({ namespace: 'default', body: podOn(`storm${i}`) });
    await until(async () => (await groups(emu).catch(() => [])).length === 6, 20_000);
    emu.setFaults([]);
    const r = await provider.stop();
    const syncs = events(r).filter((e) => e.event === 'sync');
    expect(syncs.reduce((n, e) => n + e.throttled, 0)).toBeGreaterThan(0);
    expect(await groups(emu)).toEqual([]);
  });

  it('rejects an untranslatable pod with ProviderFailed naming the rule and field; --dry-run creates nothing', async () => {
    const emu = (emulator = await startEmulator({ scenario: 'addon-enabled', lroDelayMs: 10 }));
    const core = await kubeClient(emu);
    const provider = startProvider(emu);
    await until(async () => (await core.listNode()).items.some((n) => n.metadata?.name === NODE), 10_000);
    await core.createNamespacedPod({
      namespace: 'default',
      body: podOn('bad', { containers: [{ name: 'app', image: 'nginx', args: ['-x'] }] }),
    });
    await until(
      async () =>
        (await core.readNamespacedPod({ namespace: 'default', name: 'bad' })).status?.reason === 'ProviderFailed',
      10_000,
    );
    const bad = await core.readNamespacedPod({ namespace: 'default', name: 'bad' });
    expect(bad.status?.message).toContain('LNT-CMD-001 spec.containers[0].args');
    expect(bad.status?.phase).toBe('Pending');
    const r = await provider.stop();
    expect(r.exitCode).toBe(130);
    expect(await groups(emu)).toEqual([]);

    const dry = await run(['provider', 'run', ...CLUSTER, '--dry-run', '--once', '-o', 'json'], emu.env());
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(events(dry).map((e) => e.event)).not.toContain('node-registered');
    expect(await groups(emu)).toEqual([]);
  });

  it('resolves Secret env through the API server as secureValue, waiting while the Secret is missing', async () => {
    const emu = (emulator = await startEmulator({ scenario: 'addon-enabled', lroDelayMs: 10 }));
    const core = await kubeClient(emu);
    const provider = startProvider(emu);
    await until(async () => (await core.listNode()).items.some((n) => n.metadata?.name === NODE), 10_000);
    const env = [{ name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }];
    await core.createNamespacedPod({
      namespace: 'default',
      body: podOn('needs', { containers: [{ name: 'app', image: 'nginx', env }] }),
    });
    await until(
      async () =>
        (await core.readNamespacedPod({ namespace: 'default', name: 'needs' })).status?.containerStatuses?.[0]?.state
          ?.waiting?.reason === 'CreateContainerConfigError',
      10_000,
    );
    await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'db' }, data: { password: Buffer.from('s3cret').toString('base64') } },
    });
    await until(async () => (await groups(emu)).includes('default-needs'), 10_000);
    const r = await provider.stop();
    expect(r.stdout).not.toContain('s3cret');
    expect(events(r).filter((e) => e.event === 'waiting')).toHaveLength(1);
  });

  it('its node tells the truth: NotReady while the subnet is unusable, and while ARM does not answer', async () => {
    const emu = (emulator = await startEmulator({ scenario: 'healthy', lroDelayMs: 10 }));
    const core = await kubeClient(emu);
    // healthy has no ACI subnet yet: the one named does not exist.
    const provider = startProvider(emu, ['--subnet', 'virtual-node-aci']);
    await until(async () => (await core.listNode()).items.some((n) => n.metadata?.name === NODE), 10_000);
    const ready = async () => (await core.readNode({ name: NODE })).status?.conditions?.find((c) => c.type === 'Ready');
    expect(await ready()).toMatchObject({ status: 'False', reason: 'SubnetUnusable' });
    const r = await provider.stop();
    expect(events(r)).toContainEqual(
      expect.objectContaining({ event: 'node-condition', ready: false, reason: 'SubnetUnusable' }),
    );

    const emu2 = await startEmulator({ scenario: 'addon-enabled', lroDelayMs: 10 });
    try {
      const core2 = await kubeClient(emu2);
      const second = startProvider(emu2);
      await until(async () => (await core2.listNode()).items.some((n) => n.metadata?.name === NODE), 10_000);
      emu2.setFaults('503:1:GET */containerGroups');
      await until(
        async () =>
          (await core2.readNode({ name: NODE })).status?.conditions?.find((c) => c.type === 'Ready')?.reason ===
          'AzureUnreachable',
        10_000,
      );
      emu2.setFaults([]);
      await until(
        async () =>
          (await core2.readNode({ name: NODE })).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
        10_000,
      );
      await second.stop();
    } finally {
      await emu2.close();
    }
  });

  it('--once with --kubeconfig, --aci-resource-group and --region: reconciles, syncs once, exits 0 keeping its work', async () => {
    const emu = (emulator = await startEmulator({ scenario: 'addon-enabled', lroDelayMs: 10 }));
    const core = await kubeClient(emu);
    const dir = await mkdtemp(join(tmpdir(), 'vnodes-once-'));
    try {
      const kubeconfig = join(dir, 'config');
      await writeFile(kubeconfig, (await emu.kube()).kubeconfig());
      await core.createNamespacedPod({ namespace: 'default', body: podOn('once') });
      const r = await run(
        [
          'provider',
          'run',
          '--once',
          '--kubeconfig',
          kubeconfig,
          '--aci-resource-group',
          RG,
          '--region',
          'eastus',
          '--node-name',
          NODE,
          '-o',
          'json',
        ],
        emu.env(),
      );
      expect(r.exitCode, r.stderr).toBe(0);
      expect(events(r).map((e) => e.event)).toEqual(
        expect.arrayContaining(['node-registered', 'put', 'sync', 'stopped']),
      );
      expect(await groups(emu)).toEqual(['default-once']);
      expect((await core.listNode()).items.map((n) => n.metadata?.name)).toContain(NODE);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
