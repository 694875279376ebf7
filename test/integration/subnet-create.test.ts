// `vnodes subnet create` end to end: scenarios, the emulator's state afterwards, idempotency, faults, bad input.
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { armGet, armRequest, NETWORK_API } from '../helpers/arm.js';
import { run } from '../helpers/run-cli.js';

const SUB = '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f';
const VNET = `${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
const MANAGED_VNET = `${SUB}/resourceGroups/MC_rg-aks_aks-demo_eastus/providers/Microsoft.Network/virtualNetworks/aks-vnet-27811542`;
const BASE = ['subnet', 'create', '--cluster', 'aks-demo', '-g', 'rg-aks'];
const ACI = 'Microsoft.ContainerInstance/containerGroups';

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

const start = async (scenario: string, faults?: string) =>
  (emu = await startEmulator({ scenario, lroDelayMs: 5, ...(faults ? { faults } : {}) }));
const create = (args: string[] = [], json = true) =>
  run([...(json ? ['-o', 'json'] : []), ...BASE, ...args], emu!.env());

/** The VNet as ARM returns it, split into its own fields and its subnets by name. */
/** The VNet and its subnets without etags: Network shares one across them, so any subnet write changes them all. */
async function snapshot(vnetId = VNET) {
  const { body } = await armGet(emu!, vnetId, NETWORK_API);
  const { subnets, ...properties } = body.properties;
  for (const s of subnets as any[]) expect(s.etag).toBe(body.etag);
  const noEtag = ({ etag: _etag, ...rest }: any) => rest;
  const byName = Object.fromEntries((subnets as any[]).map((s) => [s.name, noEtag(s)]));
  return { vnet: noEtag({ ...body, properties }), subnets: byName as Record<string, any>, etag: body.etag as string };
}

/** Asserts the VNet and every subnet but `name` are exactly as before. */
function expectOnlyChanged(
  before: Awaited<ReturnType<typeof snapshot>>,
  after: Awaited<ReturnType<typeof snapshot>>,
  name: string,
) {
  expect(after.vnet).toEqual(before.vnet);
  const others = (s: Record<string, any>) => Object.fromEntries(Object.entries(s).filter(([n]) => n !== name));
  expect(others(after.subnets)).toEqual(others(before.subnets));
}

describe('subnet create per scenario', () => {
  it.each<[string, string, string, string[]]>([
    ['healthy', VNET, '10.1.0.0/24', []],
    ['kubenet', VNET, '10.1.0.0/24', ['network.plugin']],
    ['overlay', VNET, '10.1.0.0/24', ['network.plugin']],
    ['dual-stack', VNET, '10.1.0.0/24', ['network.plugin', 'network.ip-families']],
    ['authorized-ip-ranges', VNET, '10.1.0.0/24', ['network.authorized-ip-ranges']],
    ['private-cluster', VNET, '10.1.0.0/24', []],
    ['managed-vnet', MANAGED_VNET, '10.225.0.0/24', []],
  ])(
    '%s: creates the delegated subnet in the first free /24 and changes nothing else',
    async (scenario, vnetId, cidr, failing) => {
      await start(scenario);
      const before = await snapshot(vnetId);
      const r = await create(['--yes']);
      expect(r.exitCode, r.stderr).toBe(0);
      const doc = r.json();
      expect(doc).toMatchObject({
        schemaVersion: 1,
        kind: 'subnet create',
        action: 'created',
        dryRun: false,
        cidr,
        cidrSource: 'planned',
        usableAddresses: 251,
        vnet: { id: vnetId, managed: vnetId === MANAGED_VNET },
        subnet: {
          name: 'virtual-node-aci',
          addressPrefixes: [cidr],
          delegations: [ACI],
          provisioningState: 'Succeeded',
        },
        request: { method: 'PUT', headers: { 'if-none-match': '*' } },
      });
      expect(
        doc.warnings
          .filter((w: any) => w.status === 'fail')
          .map((w: any) => w.id)
          .sort(),
      ).toEqual([...failing].sort());
      const after = await snapshot(vnetId);
      expectOnlyChanged(before, after, 'virtual-node-aci');
      expect(after.subnets['virtual-node-aci'].properties).toMatchObject({
        addressPrefix: cidr,
        provisioningState: 'Succeeded',
        delegations: [
          {
            name: 'aciDelegation',
            properties: { serviceName: ACI, actions: ['Microsoft.Network/virtualNetworks/subnets/action'] },
          },
        ],
      });
    },
  );

  it.each<[string, string, RegExp, string]>([
    [
      'subnet-in-use',
      'VNODES_SUBNET_IN_USE',
      /Subnet virtual-node-aci is used by 1 other resource\(s\)/,
      'vnodes subnet create --cluster aks-demo -g rg-aks --name <new-subnet>',
    ],
    [
      'route-table',
      'VNODES_SUBNET_ROUTE_TABLE',
      /references route table hub-udr/,
      'az network vnet subnet update -g rg-network --vnet-name aks-vnet -n virtual-node-aci --route-table ""',
    ],
    [
      'vnet-full',
      'VNODES_VNET_FULL',
      /No free \/24 in the VNet address space \(10\.10\.0\.0\/22\)/,
      'az network vnet update -g rg-network -n aks-vnet --address-prefixes 10.10.0.0/22',
    ],
  ])('%s: refuses (exit 1), explains, and writes nothing', async (scenario, code, message, fix) => {
    await start(scenario);
    const before = await snapshot();
    const r = await create(['--yes']);
    expect(r.exitCode).toBe(1);
    const { error } = r.json();
    expect(error).toMatchObject({ code, exitCode: 1 });
    expect(error.message).toMatch(message);
    expect(error.message).toContain('vnodes changed nothing');
    expect(error.remediation).toContain(fix);
    expect(emu!.requests.count({ kind: 'write' })).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('subnet-in-use: names the resource in the way', async () => {
    await start('subnet-in-use');
    const r = await create(['--yes'], false);
    expect(r.stderr).toContain(
      'properties.ipConfigurations: /subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f/resourceGroups/rg-network/providers/Microsoft.Network/networkInterfaces/jumpbox-nic/ipConfigurations/ipconfig1',
    );
  });

  it('vnet-full: once the address space grows, the same command succeeds', async () => {
    await start('vnet-full');
    expect((await create(['--yes'])).exitCode).toBe(1);
    const { body: vnet } = await armGet(emu!, VNET, NETWORK_API);
    vnet.properties.addressSpace.addressPrefixes.push('10.11.0.0/16');
    const put = await armRequest(emu!, 'PUT', VNET, NETWORK_API, vnet);
    expect(put.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const r = await create(['--yes']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ action: 'created', cidr: '10.11.0.0/24' });
  });

  it('refuses the node subnet (it holds the nodes)', async () => {
    await start('healthy');
    const r = await create(['--yes', '--name', 'aks-subnet']);
    expect(r.exitCode).toBe(1);
    expect(r.json().error).toMatchObject({ code: 'VNODES_SUBNET_IN_USE' });
    expect(r.json().error.message).toContain('holds the nodes of pool nodepool1');
    expect(emu!.requests.count({ kind: 'write' })).toBe(0);
  });
});

describe('subnet create: adopting an existing subnet', () => {
  const extra = {
    addressPrefix: '10.241.0.0/24',
    natGateway: { id: `${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/natGateways/aks-natgw` },
    serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['eastus'] }],
    privateEndpointNetworkPolicies: 'Disabled',
    privateLinkServiceNetworkPolicies: 'Enabled',
    defaultOutboundAccess: false,
  };

  it('adds the delegation with If-Match, keeping every other property', async () => {
    await start('healthy');
    const made = await armRequest(emu!, 'PUT', `${VNET}/subnets/virtual-node-aci`, NETWORK_API, { properties: extra });
    expect(made.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const before = await snapshot();
    const r = await create(['--yes']);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = r.json();
    expect(doc).toMatchObject({
      action: 'updated',
      cidr: '10.241.0.0/24',
      cidrSource: 'existing',
      subnet: { delegations: [ACI] },
    });
    expect(doc.request.headers['if-match']).toBe(before.etag);
    // The NAT gateway is there and outbound is private: nothing left to warn about.
    expect(doc.warnings).toEqual([]);
    const after = await snapshot();
    expectOnlyChanged(before, after, 'virtual-node-aci');
    const { delegations, provisioningState: _p, ...kept } = after.subnets['virtual-node-aci'].properties;
    const { delegations: _d, provisioningState: _q, ...was } = before.subnets['virtual-node-aci'].properties;
    expect(kept).toEqual(was);
    expect(delegations.map((d: any) => d.properties.serviceName)).toEqual([ACI]);
  });

  it('leaves a subnet given the wrong --cidr alone', async () => {
    await start('healthy');
    await armRequest(emu!, 'PUT', `${VNET}/subnets/virtual-node-aci`, NETWORK_API, { properties: extra });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const r = await create(['--yes', '--cidr', '10.242.0.0/24']);
    expect(r.exitCode).toBe(1);
    expect(r.json().error).toMatchObject({ code: 'VNODES_SUBNET_CIDR_MISMATCH' });
  });
});

describe('subnet create: idempotency, dry run and consent', () => {
  it('a second run is unchanged and issues no write', async () => {
    await start('healthy');
    expect((await create(['--yes'])).json().action).toBe('created');
    emu!.requests.clear();
    const again = await create(['--yes']);
    expect(again.exitCode).toBe(0);
    expect(again.json()).toMatchObject({
      action: 'unchanged',
      reason: `already delegated to ${ACI}`,
      cidr: '10.1.0.0/24',
    });
    expect(again.json().request).toBeUndefined();
    expect(emu!.requests.count({ kind: 'write' })).toBe(0);
    expect(emu!.requests.entries.map((e) => e.operation)).toEqual(['ManagedClusters_Get', 'VirtualNetworks_Get']);
  });

  it('--dry-run prints the exact PUT, needs no --yes, and writes nothing', async () => {
    await start('healthy');
    const before = await snapshot();
    const r = await create(['--dry-run']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({
      action: 'created',
      dryRun: true,
      request: {
        method: 'PUT',
        url: `${emu!.armEndpoint}${VNET.slice(1)}/subnets/virtual-node-aci?api-version=2026-01-01`,
        headers: { 'if-none-match': '*' },
        body: {
          name: 'virtual-node-aci',
          properties: {
            addressPrefix: '10.1.0.0/24',
            delegations: [{ name: 'aciDelegation', properties: { serviceName: ACI } }],
          },
        },
      },
    });
    expect(emu!.requests.count({ kind: 'write' })).toBe(0);
    expect(await snapshot()).toEqual(before);
    const text = await create(['--dry-run'], false);
    expect(text.stdout).toContain(
      'Dry run: vnodes would create subnet virtual-node-aci (10.1.0.0/24, 251 usable addresses) in VNet aks-vnet (rg-network)',
    );
    expect(text.stdout).toContain(
      `PUT ${emu!.armEndpoint}${VNET.slice(1)}/subnets/virtual-node-aci?api-version=2026-01-01`,
    );
    expect(text.stdout).toContain('"addressPrefix": "10.1.0.0/24"');
  });

  it('without --yes and no terminal: exit 2 naming --yes, nothing written', async () => {
    await start('healthy');
    const r = await create([], false);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(
      'Not allowed to create subnet virtual-node-aci (10.1.0.0/24) in VNet aks-vnet (resource group rg-network) without confirmation',
    );
    expect(r.stderr).toContain('fix: Re-run with --yes');
    expect(emu!.requests.count({ kind: 'write' })).toBe(0);
  });

  it('without --yes, an already delegated subnet still passes: there is nothing to consent to', async () => {
    await start('healthy');
    await create(['--yes']);
    expect((await create([])).exitCode).toBe(0);
  });

  it('shows the long-running operation as steps on stderr, the result on stdout', async () => {
    await start('healthy');
    const r = await create(['--yes'], false);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(
      'Created subnet virtual-node-aci (10.1.0.0/24, 251 usable addresses) in VNet aks-vnet (rg-network)',
    );
    expect(r.stdout).toContain('Next: vnodes enable --cluster aks-demo -g rg-aks --subnet-name virtual-node-aci');
    expect(r.stderr).toMatch(
      /ok Creating subnet virtual-node-aci \(10\.1\.0\.0\/24\) in VNet aks-vnet \(resource group rg-network\) \(\d+ ms\)/,
    );
  });

  it('uses --cidr and --prefix-length', async () => {
    await start('healthy');
    expect((await create(['--yes', '--cidr', '10.241.0.0/16'])).json()).toMatchObject({
      cidr: '10.241.0.0/16',
      cidrSource: 'given',
      usableAddresses: 65531,
    });
    expect((await create(['--yes', '--name', 'small', '--prefix-length', '28'])).json()).toMatchObject({
      cidr: '10.1.0.0/28',
      usableAddresses: 11,
    });
  });
});

describe('subnet create: faults', () => {
  it('survives a 429 on the subnet PUT (Retry-After honoured)', async () => {
    await start('healthy', '429/0:x1:PUT */subnets/*');
    const r = await create(['--yes']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json().action).toBe('created');
    const puts = emu!.requests.entries.filter((e) => e.operation === 'Subnets_CreateOrUpdate').map((e) => e.status);
    expect(puts).toEqual([429, 201]);
  });

  it('a failing long-running operation: a clear error, then a re-run converges', async () => {
    await start('healthy', 'lro-fail:x1:Subnets_CreateOrUpdate');
    const failed = await create(['--yes'], false);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/error: .*create subnet virtual-node-aci \(10\.1\.0\.0\/24\).*InternalServerError/);
    expect(failed.stderr).toContain('fix: Re-run the same command');
    expect(
      (await armGet(emu!, `${VNET}/subnets/virtual-node-aci`, NETWORK_API)).body.properties.provisioningState,
    ).toBe('Failed');
    const again = await create(['--yes']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.json()).toMatchObject({
      action: 'updated',
      subnet: { provisioningState: 'Succeeded', delegations: [ACI] },
    });
    expect((await create(['--yes'])).json().action).toBe('unchanged');
  });

  it('keeps the ARM code of a failed operation', async () => {
    await start('healthy', 'lro-fail/NetcfgSubnetRangesOverlap:x1:Subnets_CreateOrUpdate');
    const r = await create(['--yes']);
    expect(r.exitCode).toBe(1);
    expect(r.json().error).toMatchObject({ azure: { armCode: 'NetcfgSubnetRangesOverlap' } });
    expect(r.json().error.message).toMatch(
      /^The Azure operation failed while trying to create subnet virtual-node-aci \(10\.1\.0\.0\/24\): NetcfgSubnetRangesOverlap: /,
    );
  });

  it('a subnet written by someone else between read and write: 412, read again, and finished', async () => {
    // The first PUT is throttled for a second; meanwhile someone else creates the subnet (undelegated), so the
    // retry's If-None-Match: * fails; vnodes reads again and now delegates the subnet that exists.
    await start('healthy', '429/1:x1:PUT */subnets/*');
    const pending = create(['--yes']);
    while (emu!.requests.count({ status: 429 }) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const racer = await armRequest(emu!, 'PUT', `${VNET}/subnets/virtual-node-aci`, NETWORK_API, {
      properties: { addressPrefix: '10.1.0.0/24' },
    });
    expect(racer.status).toBe(201);
    const r = await pending;
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('changed while vnodes was writing it (412); reading it again (1/3)');
    expect(r.json()).toMatchObject({ action: 'updated' });
    expect(r.json().subnet.delegations).toEqual(['Microsoft.ContainerInstance/containerGroups']);
  });

  it('a sibling subnet written meanwhile changes the shared VNet ETag: the same write is re-sent without asking again', async () => {
    await start('healthy');
    expect(
      (
        await armRequest(emu!, 'PUT', `${VNET}/subnets/virtual-node-aci`, NETWORK_API, {
          properties: { addressPrefix: '10.1.0.0/24' },
        })
      ).status,
    ).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 100));
    emu!.setFaults('429/1:x1:PUT */subnets/virtual-node-aci');
    const pending = create(['--yes']);
    while (emu!.requests.count({ status: 429 }) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(
      (
        await armRequest(emu!, 'PUT', `${VNET}/subnets/sibling`, NETWORK_API, {
          properties: { addressPrefix: '10.2.0.0/24' },
        })
      ).status,
    ).toBe(201);
    const r = await pending;
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ action: 'updated' });
    expect(emu!.requests.count({ status: 412 })).toBe(1);
  });
});

describe('subnet create: what the user got wrong', () => {
  it.each<[string[], RegExp]>([
    [['--cidr', '10.241.0.0'], /Invalid CIDR "10.241.0.0": missing the prefix length/],
    [['--cidr', '10.241.0.1/24'], /did you mean 10.241.0.0\/24\?/],
    [['--cidr', 'fd00:db8::/64'], /ACI virtual nodes support IPv4 only/],
    [['--prefix-length', '8'], /--prefix-length "8" is not a whole number from 16 to 28/],
    [['--prefix-length', '29'], /from 16 to 28/],
    [['--prefix-length', 'big'], /--prefix-length "big" is not a whole number/],
    [['--prefix-length', '0x18'], /--prefix-length "0x18" is not a whole number/],
    [['--name', 'aci subnet'], /Invalid subnet name "aci subnet"/],
    [['--name', 'aci-'], /ending with a letter, digit or '_'/],
  ])('%j: exit 2 with one clear line, before any Azure call', async (args, message) => {
    await start('healthy');
    const r = await create(['--yes', ...args], false);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(message);
    expect(lines).toHaveLength(2);
    expect(emu!.requests.entries).toHaveLength(0);
  });

  it('--cidr and --prefix-length together is a usage error', async () => {
    const r = await run([...BASE, '--cidr', '10.241.0.0/24', '--prefix-length', '24']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("option '--cidr <cidr>' cannot be used with option '--prefix-length <n>'");
  });

  it.each<[string[], string, string]>([
    [['--cluster', 'nope', '-g', 'rg-aks'], 'ResourceNotFound', '--cluster nope'],
    [['--cluster', 'aks-demo', '-g', 'nope'], 'ResourceGroupNotFound', '-g nope'],
  ])('%j: exit 1 with ARM’s code', async (args, armCode, flag) => {
    await start('healthy');
    const r = await run(['-o', 'json', 'subnet', 'create', ...args, '--yes'], emu!.env());
    expect(r.exitCode).toBe(1);
    expect(r.json().error).toMatchObject({ azure: { armCode, statusCode: 404 } });
    expect(r.json().error.remediation).toContain(flag);
  });

  it.each<[string[], string, RegExp]>([
    [['--cidr', '10.240.5.0/24'], 'VNODES_CIDR_OVERLAP', /10\.240\.5\.0\/24 overlaps aks-subnet \(10\.240\.0\.0\/16\)/],
    [
      ['--cidr', '10.0.0.0/24'],
      'VNODES_CIDR_OVERLAP',
      /overlaps the service CIDR \(10\.0\.0\.0\/16\) and contains the DNS service IP \(10\.0\.0\.10\)/,
    ],
    [
      ['--cidr', '192.168.0.0/24'],
      'VNODES_CIDR_OUTSIDE_VNET',
      /outside the address space of VNet aks-vnet \(10\.0\.0\.0\/8\)/,
    ],
  ])('%j: a range in the way is refused (exit 1) with an alternative', async (args, code, message) => {
    await start('healthy');
    const r = await create(['--yes', ...args]);
    expect(r.exitCode).toBe(1);
    expect(r.json().error).toMatchObject({ code });
    expect(r.json().error.message).toMatch(message);
    expect(r.json().error.remediation).toContain('10.1.0.0/24');
  });
});
