// The fault matrix: Azure slow or unkind on purpose, through the emulator's fault rules, against the real SDK
// clients. Each case asserts the exit code, the class of message, and that a re-run converges with nothing lost.
// Times are measured and bounded generously (an order of magnitude under the Retry-After), never asserted tightly.
import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { run, type CliRun } from '../helpers/run-cli.js';
import { emulatorPerTest, sdkClients } from '../helpers/emulated.js';

const CLUSTER = ['--cluster', 'aks-demo', '-g', 'rg-aks'];
const emulators = emulatorPerTest(afterEach);
const on = emulators.on;

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

// The writes enable and disable make, by the path the emulator's fault rules match.
const SUBNET_PUT = 'PUT */subnets/virtual-node-aci';
const CLUSTER_PUT = 'PUT */managedClusters/aks-demo';
const ROLE_PUT = 'PUT */roleAssignments/*';
const ROLE_DELETE = 'DELETE */roleAssignments/*';
const SUBNET_DELETE = 'DELETE */subnets/virtual-node-aci';
const ENABLE = ['enable', ...CLUSTER, '--yes', '--no-wait', '-o', 'json'];
const DISABLE = ['disable', ...CLUSTER, '--yes', '--delete-subnet', '-o', 'json'];

const STACK = /^\s+at .+:\d+:\d+\)?$/m;

/** One error line, one fix line, no stack, and the JSON document with the expected exit code. */
function failedCleanly(r: CliRun, exit: number): { code: string; armCode?: string } {
  expect(r.exitCode, r.stderr).toBe(exit);
  expect(r.stderr.match(/^error:/gm), r.stderr).toHaveLength(1);
  expect(r.stderr, r.stderr).toMatch(/^fix: \S/m);
  expect(r.stderr).not.toMatch(STACK);
  const doc = r.json();
  expect(doc.kind).toBe('error');
  return { code: doc.error.code, armCode: doc.error.azure?.armCode };
}

/** Azure as enable leaves it, with nothing else lost: the cluster subnet and the VNet untouched. */
async function expectEnabled(emu: Emulator) {
  const { aks, network, authz } = sdkClients(emu);
  const cluster = await aks.managedClusters.get('rg-aks', 'aks-demo');
  expect(cluster.provisioningState).toBe('Succeeded');
  expect(cluster.addonProfiles?.aciConnectorLinux).toMatchObject({
    enabled: true,
    config: { SubnetName: 'virtual-node-aci' },
  });
  const subnet = await network.subnets.get('rg-network', 'aks-vnet', 'virtual-node-aci');
  expect(subnet.provisioningState).toBe('Succeeded');
  expect(subnet.delegations?.map((d) => d.serviceName)).toEqual(['Microsoft.ContainerInstance/containerGroups']);
  const vnet = await network.virtualNetworks.get('rg-network', 'aks-vnet');
  expect(vnet.subnets?.map((x) => x.name).sort()).toEqual(['aks-subnet', 'virtual-node-aci']);
  const principalId = cluster.addonProfiles!.aciConnectorLinux!.identity!.objectId!;
  const grants = [];
  for await (const a of authz.roleAssignments.listForScope(subnet.id!.slice(1), {
    filter: `principalId eq '${principalId}'`,
  }))
    grants.push(a);
  expect(grants).toHaveLength(1);
}

/** Azure as disable --delete-subnet leaves it: add-on off, its grant and subnet gone, the cluster subnet kept. */
async function expectDisabled(emu: Emulator) {
  const { aks, network } = sdkClients(emu);
  const cluster = await aks.managedClusters.get('rg-aks', 'aks-demo');
  expect(cluster.provisioningState).toBe('Succeeded');
  expect(cluster.addonProfiles?.aciConnectorLinux?.enabled ?? false).toBe(false);
  const vnet = await network.virtualNetworks.get('rg-network', 'aks-vnet');
  expect(vnet.subnets?.map((x) => x.name)).toEqual(['aks-subnet']);
}

describe('fault matrix: enable, a fault at each write, then a re-run converges', () => {
  const writes = [SUBNET_PUT, CLUSTER_PUT, ROLE_PUT];
  const cases: [string, string, number, RegExp][] = [
    ...writes.map((w): [string, string, number, RegExp] => [
      `403 at ${w}`,
      `403:x1:${w}`,
      4,
      /^VNODES_(AZURE_AUTH|ROLE_NOT_GRANTED)$/,
    ]),
    ...writes.map((w): [string, string, number, RegExp] => [
      `a dropped connection at ${w}`,
      `drop:x1:${w}`,
      -1,
      /^VNODES_AZURE_UNREACHABLE$/,
    ]),
    [`a failed LRO at ${SUBNET_PUT}`, `lro-fail:x1:${SUBNET_PUT}`, 1, /^VNODES_AZURE$/],
    [`a failed LRO at ${CLUSTER_PUT}`, `lro-fail:x1:${CLUSTER_PUT}`, 1, /^VNODES_AZURE$/],
  ];
  it.each(cases)('%s', async (_name, faults, exit, code) => {
    const emu = await on('healthy', { faults });
    const first = await run(ENABLE, emu.env());
    // The SDK retries a dropped connection on its own: the run may succeed, or fail as unreachable.
    if (exit === -1 && first.exitCode === 0) expect(emu.requests.count({ status: 0 })).toBe(1);
    else expect(failedCleanly(first, exit === -1 ? 1 : exit).code).toMatch(code);
    emu.setFaults('');
    const again = await run(ENABLE, emu.env());
    expect(again.exitCode, again.stderr).toBe(0);
    await expectEnabled(emu);
    const third = await run(ENABLE, emu.env());
    expect(third.json().changed, third.stdout).toBe(false);
  });
});

describe('fault matrix: disable --delete-subnet, a fault at each write, then a re-run converges', () => {
  const writes = [CLUSTER_PUT, ROLE_DELETE, SUBNET_DELETE];
  const cases: [string, string, number][] = [
    ...writes.map((w): [string, string, number] => [`403 at ${w}`, `403:x1:${w}`, 4]),
    ...writes.map((w): [string, string, number] => [`a dropped connection at ${w}`, `drop:x1:${w}`, -1]),
    [`a failed LRO at ${CLUSTER_PUT}`, `lro-fail:x1:${CLUSTER_PUT}`, 1],
    [`a failed LRO at ${SUBNET_DELETE}`, `lro-fail:x1:${SUBNET_DELETE}`, 1],
  ];
  it.each(cases)('%s', async (_name, faults, exit) => {
    const emu = await on('healthy');
    expect((await run(ENABLE, emu.env())).exitCode).toBe(0);
    emu.setFaults(faults);
    const first = await run(DISABLE, emu.env());
    if (!(exit === -1 && first.exitCode === 0)) failedCleanly(first, exit === -1 ? 1 : exit);
    emu.setFaults('');
    const again = await run(DISABLE, emu.env());
    expect(again.exitCode, again.stderr).toBe(0);
    await expectDisabled(emu);
  });
});

describe('fault matrix: subnet create', () => {
  it.each([
    ['403', `403:x1:${SUBNET_PUT}`, 4],
    ['a dropped connection', `drop:x1:${SUBNET_PUT}`, -1],
    ['a failed LRO', `lro-fail:x1:${SUBNET_PUT}`, 1],
  ])('%s at the subnet PUT, then a re-run converges', async (_name, faults, exit) => {
    const emu = await on('healthy', { faults });
    const first = await run(['subnet', 'create', ...CLUSTER, '--yes', '-o', 'json'], emu.env());
    if (!(exit === -1 && first.exitCode === 0)) failedCleanly(first, exit === -1 ? 1 : (exit as number));
    emu.setFaults('');
    const again = await run(['subnet', 'create', ...CLUSTER, '--yes', '-o', 'json'], emu.env());
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.json().subnet).toMatchObject({ provisioningState: 'Succeeded' });
  });
});

describe('fault matrix: a 500 storm', () => {
  it.each([
    ['check-region', ['check-region', '-l', 'eastus', '-o', 'json']],
    ['check-network', ['check-network', ...CLUSTER, '-o', 'json']],
    ['status', ['status', ...CLUSTER, '-o', 'json']],
    ['enable', ENABLE],
    ['disable', DISABLE],
  ])(
    '%s fails with exit 1 and a fix after the retries, writes nothing, and converges once Azure recovers',
    async (name, argv) => {
      const emu = await on('healthy', { faults: '500:1' });
      const r = await run(argv, emu.env());
      expect(r.exitCode, r.stderr).toBe(1);
      // Either the run's error, or its checks/lines that could not run, each with a fix.
      if (r.json().kind === 'error') {
        failedCleanly(r, 1);
        expect(r.stderr).toMatch(/^fix: Azure had a server-side problem and vnodes already retried it 3 times/m);
      } else expect(r.stdout).toMatch(/"remediation": "Azure had a server-side problem/);
      expect(
        emu.requests.count({ kind: 'write', status: 201 }) + emu.requests.count({ kind: 'write', status: 200 }),
      ).toBe(0);
      emu.setFaults('');
      const again = await run(argv, emu.env());
      expect(again.exitCode, `${name}: ${again.stderr}`).toBe(0);
    },
  );

  it('a 30% storm of 500s is ridden out by the retries', async () => {
    const emu = await on('healthy', { faults: '500:0.3', seed: 3 });
    const r = await run(ENABLE, emu.env());
    expect(r.exitCode, r.stderr).toBe(0);
    expect(emu.requests.count({ status: 500 })).toBeGreaterThan(0);
    await expectEnabled(emu);
  });
});

describe('fault matrix: the emulator killed in the middle of an operation', () => {
  it('the endpoint gone mid-update (every request dropped), then back: a clean failure, then a re-run converges', async () => {
    const emu = await on('healthy', { lroDelayMs: 1500 });
    const pending = run(ENABLE, emu.env());
    for (let i = 0; i < 500 && emu.requests.count({ kind: 'poll' }) === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    // From the client's side a killed server and a dead network look the same: the state stays, so it can resume.
    emu.setFaults('drop:1');
    const r = await pending;
    expect(failedCleanly(r, 1).code).toBe('VNODES_AZURE_UNREACHABLE');
    emu.setFaults('');
    const again = await run(ENABLE, emu.env());
    expect(again.exitCode, again.stderr).toBe(0);
    await expectEnabled(emu);
  }, 30_000);

  it('enable fails as unreachable once the SDK retries are spent, with a fix, no stack and no hang', async () => {
    const emu = await on('healthy', { lroDelayMs: 5000 });
    const pending = run(ENABLE, emu.env());
    for (let i = 0; i < 500 && emu.requests.count({ kind: 'poll' }) === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    const killedAt = performance.now();
    await emu.close();
    emulators.forget();
    const r = await pending;
    const afterKillMs = performance.now() - killedAt;
    expect(failedCleanly(r, 1).code).toBe('VNODES_AZURE_UNREACHABLE');
    expect(r.stderr).toMatch(/^fix: Check your network or proxy/m);
    // The SDK's own retries against a closed port take a few seconds at most, never the LRO's 5 s many times over.
    expect(afterKillMs).toBeLessThan(20_000);
  }, 30_000);
});
