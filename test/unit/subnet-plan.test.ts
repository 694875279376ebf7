import type { Subnet } from '@azure/arm-network';
import { describe, expect, it } from 'vitest';
import { VnodesError } from '../../src/errors.js';
import type { NetworkFacts } from '../../src/network/facts.js';
import { planSubnet } from '../../src/network-features/subnet-plan.js';
import { fixtureVnet, healthyCluster, healthyFacts, VNET_ID } from '../fixtures/network/facts.js';

const ACI = 'Microsoft.ContainerInstance/containerGroups';
const request = (over: Partial<{ name: string; cidr: string; prefixLength: number }> = {}) => ({
  name: 'aci',
  prefixLength: 24,
  ...over,
});

/** Facts where the ACI subnet does not exist yet (the fixture VNet: 10.0.0.0/16 with subnet1 10.0.1.0/24). */
const withoutSubnet = (over: Partial<NetworkFacts> = {}): NetworkFacts => {
  const { subnet: _s, ...facts } = healthyFacts();
  return { ...facts, vnet: fixtureVnet(), subnetName: 'aci', ...over };
};

/** Facts whose ACI subnet is `subnet` (it replaces the healthy one in the VNet too). */
const withSubnet = (subnet: Partial<Subnet>): NetworkFacts => healthyFacts({}, subnet);

describe('planSubnet: what to do', () => {
  it('creates a missing subnet in the first free /24, with the delegation and If-None-Match', async () => {
    const plan = await planSubnet(withoutSubnet(), request());
    expect(plan).toMatchObject({
      action: 'create',
      cidr: '10.0.0.0/24',
      cidrSource: 'planned',
      condition: { 'if-none-match': '*' },
      subnet: { name: 'aci', addressPrefix: '10.0.0.0/24', delegations: [{ name: 'aciDelegation', serviceName: ACI }] },
    });
  });

  it('uses a given CIDR and a given size', async () => {
    expect(await planSubnet(withoutSubnet(), request({ cidr: '10.0.8.0/22' }))).toMatchObject({
      cidr: '10.0.8.0/22',
      cidrSource: 'given',
    });
    expect(await planSubnet(withoutSubnet(), request({ prefixLength: 28 }))).toMatchObject({ cidr: '10.0.0.0/28' });
  });

  it('leaves a delegated subnet alone', async () => {
    const plan = await planSubnet(withSubnet({ etag: 'W/"1"' }), request());
    expect(plan).toMatchObject({
      action: 'unchanged',
      cidr: '10.0.2.0/24',
      cidrSource: 'existing',
      reason: `already delegated to ${ACI}`,
    });
    expect(plan.condition).toBeUndefined();
  });

  it('sends a Failed delegated subnet again, as it is', async () => {
    const plan = await planSubnet(withSubnet({ provisioningState: 'Failed', etag: 'W/"2"' }), request());
    expect(plan).toMatchObject({
      action: 'update',
      condition: { 'if-match': 'W/"2"' },
      subnet: { provisioningState: 'Failed' },
    });
  });

  it('adds the delegation to an empty subnet and keeps every other property', async () => {
    const nsg = {
      id: '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkSecurityGroups/aci-nsg',
    };
    const existing = {
      delegations: [],
      serviceAssociationLinks: [],
      networkSecurityGroup: nsg,
      serviceEndpoints: [{ service: 'Microsoft.Storage' }],
      etag: 'W/"3"',
    };
    const plan = await planSubnet(withSubnet(existing), request());
    expect(plan.action).toBe('update');
    expect(plan.condition).toEqual({ 'if-match': 'W/"3"' });
    expect(plan.subnet).toMatchObject({
      networkSecurityGroup: nsg,
      serviceEndpoints: [{ service: 'Microsoft.Storage' }],
      addressPrefix: '10.0.2.0/24',
    });
    expect(plan.subnet.delegations).toEqual([{ name: 'aciDelegation', serviceName: ACI }]);
  });

  it('accepts a --cidr equal to the existing range', async () => {
    expect(await planSubnet(withSubnet({}), request({ cidr: '10.0.2.0/24' }))).toMatchObject({
      action: 'unchanged',
      cidrSource: 'given',
    });
  });

  it('warns about what the new subnet still lacks (a NAT gateway) and cluster-level blockers', async () => {
    const plan = await planSubnet(
      withoutSubnet({
        cluster: {
          ...healthyCluster(),
          networkProfile: { ...healthyCluster().networkProfile, networkPlugin: 'kubenet' },
        },
      }),
      request(),
    );
    expect(plan.action).toBe('create');
    expect(plan.warnings.map((w) => [w.id, w.status])).toEqual([
      ['network.plugin', 'fail'],
      ['network.subnet-egress', 'warn'],
    ]);
  });
});

describe('planSubnet: refusals (exit 1, nothing written)', () => {
  const nic =
    '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/networkInterfaces/vm/ipConfigurations/ipconfig1';
  it.each<[string, NetworkFacts, ReturnType<typeof request>, string, RegExp]>([
    [
      'a subnet holding a NIC',
      withSubnet({ ipConfigurations: [{ id: nic }], delegations: [], serviceAssociationLinks: [] }),
      request(),
      'VNODES_SUBNET_IN_USE',
      /used by 1 other resource/,
    ],
    [
      'the node subnet',
      withoutSubnet({ subnetName: 'subnet1' }),
      request({ name: 'subnet1' }),
      'VNODES_SUBNET_IN_USE',
      /holds the nodes of pool nodepool1/,
    ],
    [
      'a route table',
      withSubnet({
        routeTable: { id: '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/routeTables/rt' },
      }),
      request(),
      'VNODES_SUBNET_ROUTE_TABLE',
      /route table rt/,
    ],
    [
      'another delegation',
      withSubnet({ delegations: [{ name: 'web', serviceName: 'Microsoft.Web/serverFarms' }] }),
      request(),
      'VNODES_SUBNET_DELEGATED_ELSEWHERE',
      /Microsoft\.Web\/serverFarms/,
    ],
    [
      'a --cidr unlike the existing range',
      withSubnet({}),
      request({ cidr: '10.0.3.0/24' }),
      'VNODES_SUBNET_CIDR_MISMATCH',
      /never changes the range/,
    ],
    [
      'a --cidr on another subnet',
      withoutSubnet(),
      request({ cidr: '10.0.1.0/24' }),
      'VNODES_CIDR_OVERLAP',
      /overlaps subnet1 \(10\.0\.1\.0\/24\)/,
    ],
    [
      'a --cidr outside the VNet',
      withoutSubnet(),
      request({ cidr: '192.168.0.0/24' }),
      'VNODES_CIDR_OUTSIDE_VNET',
      /outside the address space/,
    ],
    [
      'a full VNet',
      withoutSubnet({ vnet: { ...fixtureVnet(), addressSpace: { addressPrefixes: ['10.0.1.0/24'] } } }),
      request(),
      'VNODES_VNET_FULL',
      /No free \/24/,
    ],
    ['no VNet', withoutSubnet({ vnet: undefined }), request(), 'VNODES_VNET_UNUSABLE', /was not found/],
    [
      'an IPv6 prefix on the subnet',
      withSubnet({ addressPrefix: undefined, addressPrefixes: ['10.0.2.0/24', 'fd00:db8:deca::/64'] }),
      request(),
      'VNODES_SUBNET_IPV6',
      /IPv4 only/,
    ],
  ])('refuses %s', async (_what, facts, req, code, message) => {
    const error = await planSubnet(facts, req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VnodesError);
    expect(error).toMatchObject({ code, exitCode: 1 });
    expect((error as VnodesError).message).toMatch(message);
    expect((error as VnodesError).message).toContain('vnodes changed nothing');
  });

  it('names the evidence and the fix', async () => {
    const error = (await planSubnet(
      withSubnet({ routeTable: { id: `${VNET_ID.replace('virtualNetworks/test-vnet', 'routeTables/rt')}` } }),
      request(),
    ).catch((e: unknown) => e)) as VnodesError;
    expect(error.details.join('\n')).toContain('properties.routeTable.id');
    expect(error.remediation).toContain(
      'az network vnet subnet update -g rg1 --vnet-name test-vnet -n aci --route-table ""',
    );
  });

  it('does not refuse over a cluster that cannot run virtual nodes yet (that is for enable to stop)', async () => {
    const cluster = healthyCluster();
    cluster.networkProfile = { ...cluster.networkProfile, ipFamilies: ['IPv4', 'IPv6'] };
    cluster.apiServerAccessProfile = { authorizedIPRanges: ['203.0.113.0/24'] };
    const plan = await planSubnet(withoutSubnet({ cluster }), request());
    expect(plan.action).toBe('create');
    expect(plan.warnings.filter((w) => w.status === 'fail').map((w) => w.id)).toEqual([
      'network.ip-families',
      'network.authorized-ip-ranges',
    ]);
  });
});

describe('planSubnet: checks already run (enable hands over its preflight)', () => {
  const result = (id: string, status: 'pass' | 'warn' | 'fail') => ({
    id,
    title: id,
    area: 'network',
    status,
    summary: `${id} ${status}`,
    evidence: [],
  });

  it('refuses on a handed-over failure without running the checks again', async () => {
    // The facts alone would pass: the refusal can only come from the results handed over.
    await expect(
      planSubnet(withoutSubnet(), request(), [result('network.subnet-route-table', 'fail')]),
    ).rejects.toMatchObject({ code: 'VNODES_SUBNET_ROUTE_TABLE' });
  });

  it('takes its warnings from the handed-over results', async () => {
    const plan = await planSubnet(withoutSubnet(), request(), [
      result('network.plugin', 'pass'),
      result('network.subnet-egress', 'warn'),
    ]);
    expect(plan.action).toBe('create');
    expect(plan.warnings.map((w) => w.id)).toEqual(['network.subnet-egress']);
  });
});
