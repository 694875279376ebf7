// `vnodes check-network` end to end: the CLI in-process, the real SDK over HTTPS, the emulator's scenarios.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { loadScenario } from '../../src/emulator/scenario/load.js';
import { run } from '../helpers/run-cli.js';

const BASE = ['check-network', '--cluster', 'aks-demo', '-g', 'rg-aks'];
let emu: Emulator | undefined;

async function check(scenario: string, extra: string[] = []) {
  emu = await startEmulator({ scenario, lroDelayMs: 5 });
  const r = await run(['-o', 'json', ...BASE, ...extra], emu.env());
  return { r, doc: r.exitCode === 0 || r.exitCode === 1 ? r.json() : undefined, emu };
}
const status = (doc: any, id: string) => doc.checks.find((c: any) => c.id === id)?.status;
const result = (doc: any, id: string) => doc.checks.find((c: any) => c.id === id);

afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('check-network per scenario', () => {
  it.each<[string, string[], number, Record<string, string>]>([
    [
      'healthy',
      [],
      0,
      {
        'network.plugin': 'pass',
        'network.vnet': 'pass',
        'network.subnet-free-range': 'pass',
        'network.subnet-egress': 'skip',
      },
    ],
    [
      'healthy',
      ['--subnet-name', 'virtual-node-aci', '--cidr', '10.241.0.0/24'],
      0,
      { 'network.cidr-overlap': 'pass', 'network.cidr-in-address-space': 'pass', 'network.subnet-exists': 'pass' },
    ],
    ['kubenet', [], 1, { 'network.plugin': 'fail', 'network.vnet': 'pass' }],
    ['overlay', [], 1, { 'network.plugin': 'fail', 'network.ip-families': 'pass' }],
    [
      'dual-stack',
      [],
      1,
      { 'network.ip-families': 'fail', 'network.plugin': 'fail', 'network.subnet-free-range': 'pass' },
    ],
    ['authorized-ip-ranges', [], 1, { 'network.authorized-ip-ranges': 'fail', 'network.plugin': 'pass' }],
    ['private-cluster', [], 0, { 'network.private-cluster': 'warn' }],
    [
      'subnet-in-use',
      ['--subnet-name', 'virtual-node-aci'],
      1,
      { 'network.subnet-dedicated': 'fail', 'network.subnet-delegation': 'warn' },
    ],
    [
      'route-table',
      ['--subnet-name', 'virtual-node-aci'],
      1,
      { 'network.subnet-route-table': 'fail', 'network.subnet-dedicated': 'pass' },
    ],
    ['healthy', ['--cidr', '192.168.0.0/24'], 1, { 'network.cidr-in-address-space': 'fail' }],
    [
      'route-table',
      ['--subnet-name', 'virtual-node-aci', '--cidr', '10.241.0.0/16'],
      1,
      { 'network.cidr-subnet-match': 'pass', 'network.subnet-route-table': 'fail' },
    ],
    [
      'route-table',
      ['--subnet-name', 'virtual-node-aci', '--cidr', '10.241.0.0/24'],
      1,
      { 'network.cidr-subnet-match': 'fail' },
    ],
    ['vnet-full', [], 1, { 'network.subnet-free-range': 'fail', 'network.vnet': 'pass' }],
    ['managed-vnet', [], 0, { 'network.vnet': 'pass', 'network.subnet-free-range': 'pass' }],
  ])('%s %j → exit %i', async (scenario, extra, exitCode, expected) => {
    const { r, doc } = await check(scenario, extra);
    expect(r.exitCode, r.stderr).toBe(exitCode);
    expect(doc).toMatchObject({
      schemaVersion: 1,
      kind: 'check-network',
      cluster: 'aks-demo',
      resourceGroup: 'rg-aks',
      passed: exitCode === 0,
    });
    for (const [id, want] of Object.entries(expected)) expect(status(doc, id), id).toBe(want);
    // A check reads and never writes.
    expect(emu!.requests.count({ kind: 'write' })).toBe(0);
  });

  it('gives the exact fix for each failure', async () => {
    const ranges = (await check('authorized-ip-ranges')).doc;
    expect(result(ranges, 'network.authorized-ip-ranges').remediation).toBe(
      'az aks update -g rg-aks -n aks-demo --api-server-authorized-ip-ranges ""',
    );
    expect(result(ranges, 'network.authorized-ip-ranges').evidence[0]).toMatchObject({
      field: 'properties.apiServerAccessProfile.authorizedIPRanges',
      value: ['203.0.113.0/24', '198.51.100.7/32'],
    });
    await emu!.close();
    const full = (await check('vnet-full')).doc;
    expect(result(full, 'network.subnet-free-range').summary).toContain(
      'No free /24 in the VNet address space (10.10.0.0/22)',
    );
    expect(result(full, 'network.subnet-free-range').remediation).toContain(
      'az network vnet update -g rg-network -n aks-vnet --address-prefixes 10.10.0.0/22',
    );
    await emu!.close();
    const dual = (await check('dual-stack')).doc;
    expect(result(dual, 'network.subnet-free-range').summary).toContain('10.1.0.0/24');
  });

  it('finds the AKS-managed VNet in the node resource group', async () => {
    const { doc } = await check('managed-vnet');
    expect(doc.vnet).toMatchObject({ managed: true, addressSpace: ['10.224.0.0/12'] });
    expect(doc.vnet.id).toContain(
      '/resourceGroups/MC_rg-aks_aks-demo_eastus/providers/Microsoft.Network/virtualNetworks/aks-vnet-27811542',
    );
    expect(result(doc, 'network.subnet-free-range').summary).toContain('10.225.0.0/24');
  });

  it('vets a --cidr against the subnets, the service CIDR and the DNS IP', async () => {
    const { r, doc } = await check('healthy', ['--cidr', '10.240.8.0/24']);
    expect(r.exitCode).toBe(1);
    expect(result(doc, 'network.cidr-overlap').summary).toBe('10.240.8.0/24 overlaps aks-subnet (10.240.0.0/16).');
    expect(result(doc, 'network.cidr-overlap').remediation).toContain(
      'Pick another with --cidr (e.g. --cidr 10.1.0.0/24)',
    );
    await emu!.close();
    const dns = (await check('healthy', ['--cidr', '10.0.0.0/28'])).doc;
    expect(result(dns, 'network.cidr-overlap').summary).toContain('contains the DNS service IP (10.0.0.10)');
  });

  it('reads the cluster and the VNet in two calls (three with an NSG on the subnet)', async () => {
    const { doc } = await check('healthy', ['--subnet-name', 'virtual-node-aci']);
    expect(emu!.requests.entries.map((e) => e.operation)).toEqual(['ManagedClusters_Get', 'VirtualNetworks_Get']);
    expect(doc.calls).toEqual({ arm: 2, kubernetes: 0, throttled: 0 });
    await emu!.close();
    await check('managed-vnet', ['--subnet-name', 'aks-subnet']);
    expect(emu!.requests.entries.map((e) => e.operation)).toEqual([
      'ManagedClusters_Get',
      'VirtualNetworks_ListByResourceGroup',
      'NetworkSecurityGroups_Get',
    ]);
  });

  it('renders a table for people, with fixes under it', async () => {
    emu = await startEmulator({ scenario: 'route-table', lroDelayMs: 5 });
    const r = await run([...BASE, '--subnet-name', 'virtual-node-aci'], emu.env());
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('Cluster aks-demo (rg-aks) · VNet aks-vnet (10.0.0.0/8) · ACI subnet virtual-node-aci');
    expect(r.stdout).toMatch(
      /FAIL\s+network\.subnet-route-table\s+Subnet virtual-node-aci references route table hub-udr/,
    );
    expect(r.stdout).toContain(
      'fix: az network vnet subnet update -g rg-network --vnet-name aks-vnet -n virtual-node-aci --route-table ""',
    );
    expect(r.stdout).toMatch(/\d+ passed, 2 warning\(s\), 1 failed, 0 could not be checked, \d+ skipped\./);
    expect(r.stderr).toContain('Reading cluster aks-demo');
  });
});

describe('check-network: a VNet in another subscription', () => {
  it('reads it with a client for that subscription, and fails network.vnet', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vnodes-xsub-'));
    const other =
      '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub-vnet';
    const scenario = join(dir, 'cross.yaml');
    const healthy = await loadScenario('healthy');
    const cluster = structuredClone(healthy.resources.find((r) => String(r.type).endsWith('managedClusters'))!) as any;
    cluster.properties.agentPoolProfiles[0].vnetSubnetID = `${other}/subnets/aks-subnet`;
    const vnet = {
      id: other,
      name: 'hub-vnet',
      location: 'eastus',
      properties: {
        addressSpace: { addressPrefixes: ['10.50.0.0/16'] },
        subnets: [{ name: 'aks-subnet', properties: { addressPrefix: '10.50.0.0/24' } }],
      },
    };
    await writeFile(
      scenario,
      `extends: healthy\nresources:\n  - ${JSON.stringify(vnet)}\n  - ${JSON.stringify(cluster)}\n`,
    );
    try {
      emu = await startEmulator({ scenario });
      const r = await run(['-o', 'json', ...BASE], emu.env());
      expect(r.exitCode).toBe(1);
      expect(result(r.json(), 'network.vnet')).toMatchObject({ status: 'fail' });
      expect(result(r.json(), 'network.vnet').summary).toContain(
        'is in subscription 11111111-2222-3333-4444-555555555555',
      );
      expect(emu.requests.entries.map((e) => e.path)).toContain(other);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('check-network: what the user got wrong', () => {
  it.each<[string, string[], string, string]>([
    ['an unknown cluster', ['--cluster', 'nope', '-g', 'rg-aks'], 'ResourceNotFound', 'az aks list -g rg-aks -o table'],
    [
      'an unknown resource group',
      ['--cluster', 'aks-demo', '-g', 'rg-nope'],
      'ResourceGroupNotFound',
      'az group list -o table',
    ],
  ])('%s: exit 1 with ARM’s code and a fix line', async (_what, args, armCode, fix) => {
    emu = await startEmulator({ scenario: 'healthy' });
    const r = await run(['check-network', ...args], emu.env());
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`404 ${armCode}`);
    expect(r.stderr).toContain(`fix: Check`);
    expect(r.stderr).toContain(fix);
    const json = await run(['-o', 'json', 'check-network', ...args], emu.env());
    expect(json.json().error).toMatchObject({
      code: 'VNODES_CLUSTER_NOT_FOUND',
      azure: { armCode, statusCode: 404 },
      exitCode: 1,
    });
  });

  it.each<[string[], RegExp]>([
    [['--cidr', '10.241.0.0'], /Invalid CIDR "10.241.0.0": missing the prefix length/],
    [['--cidr', 'fd00:db8::/64'], /IPv4 only/],
    [['--cidr', '10.241.0.0/30'], /smaller than Azure's smallest subnet/],
    [['--subnet-name', 'my subnet'], /Invalid subnet name "my subnet"/],
    [
      ['--subnet-name', '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/aci'],
      /not a resource id/,
    ],
  ])('%j: exit 2 with one clear line, before any Azure call', async (args, message) => {
    emu = await startEmulator({ scenario: 'healthy' });
    const r = await run([...BASE, ...args], emu.env());
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(message);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^fix: /);
    expect(emu.requests.entries).toHaveLength(0);
  });

  it('needs --cluster and -g', async () => {
    const r = await run(['check-network', '--cluster', 'aks-demo']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("required option '-g, --resource-group <name>' not specified");
  });

  it('reports a VNet Azure refuses to show as a check that could not run (exit 1), not a missing VNet', async () => {
    const emu = await startEmulator({ scenario: 'healthy', faults: '403:x1:GET */virtualNetworks/aks-vnet' });
    try {
      const r = await run(['check-network', '--cluster', 'aks-demo', '-g', 'rg-aks', '-o', 'json'], emu.env());
      expect(r.exitCode).toBe(1);
      const vnet = r.json().checks.find((c: { id: string }) => c.id === 'network.vnet');
      expect(vnet).toMatchObject({ status: 'error' });
      expect(vnet.summary).toContain('AuthorizationFailed');
    } finally {
      await emu.close();
    }
  });
});
