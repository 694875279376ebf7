import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listScenarios, loadScenario } from '../../src/emulator/scenario/load.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vnodes-scenario-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function write(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

describe('shipped scenarios', () => {
  it.each(listScenarios())('%s loads, has a one-line description and a region catalog', async (name) => {
    const s = await loadScenario(name);
    expect(s.description).toMatch(/^[^\n]{10,}$/);
    expect(s.regions.length).toBeGreaterThanOrEqual(25);
    for (const r of s.regions) {
      expect(r.capabilities.length).toBeGreaterThan(0);
      for (const row of r.capabilities) expect(row.location).toBe(r.displayName);
      expect(r.usages.map((u) => u.name.value)).toContain('ContainerGroups');
    }
  });

  it('healthy has VNet in most regions, public-only in a few, GPU rows in some', async () => {
    const s = await loadScenario('healthy');
    const vnet = (r: (typeof s.regions)[number]) =>
      r.capabilities.some((c) => c.osType === 'Linux' && c.ipAddressType === 'Private');
    const withVnet = s.regions.filter(vnet).length;
    expect(withVnet).toBeGreaterThan(20);
    expect(s.regions.length - withVnet).toBeGreaterThanOrEqual(2);
    expect(s.regions.filter((r) => r.capabilities.some((c) => c.gpu !== 'None')).length).toBeGreaterThanOrEqual(3);
    expect(s.providers['Microsoft.ContainerInstance']?.registrationState).toBe('Registered');
  });

  it('the variants change only what they say', async () => {
    const [healthy, unregistered, noQuota, noVnet] = await Promise.all([
      loadScenario('healthy'),
      loadScenario('rp-unregistered'),
      loadScenario('no-quota'),
      loadScenario('region-without-vnet'),
    ]);
    expect(unregistered.providers['Microsoft.ContainerInstance']).toMatchObject({
      registrationState: 'NotRegistered',
      registering: { reads: 2 },
    });
    const eastus = (s: typeof healthy) => s.regions.find((r) => r.name === 'eastus');
    expect(eastus(noQuota)?.usages.find((u) => u.name.value === 'StandardCores')).toMatchObject({
      currentValue: 100,
      limit: 100,
    });
    expect(eastus(noQuota)?.capabilities).toEqual(eastus(healthy)?.capabilities);
    expect(eastus(noVnet)?.capabilities.some((c) => c.ipAddressType === 'Private')).toBe(false);
    expect(eastus(noVnet)?.displayName).toBe('East US');
    expect(noVnet.regions.map((r) => r.name)).toEqual(healthy.regions.map((r) => r.name));
  });
});

describe('scenario files', () => {
  it("`without` leaves out the parent's resources by id, whatever the casing", async () => {
    const file = await write(
      'without.yaml',
      [
        'extends: addon-enabled',
        'without:',
        '  - /SUBSCRIPTIONS/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f/resourcegroups/MC_rg-aks_aks-demo_eastus/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aciconnectorlinux-aks-demo',
      ].join('\n'),
    );
    const ids = (await loadScenario(file)).resources.map((r) => String(r.id).toLowerCase());
    const parent = (await loadScenario('addon-enabled')).resources.map((r) => String(r.id).toLowerCase());
    expect(parent.filter((id) => id.endsWith('/aciconnectorlinux-aks-demo'))).toHaveLength(1);
    expect(ids.filter((id) => id.endsWith('/aciconnectorlinux-aks-demo'))).toEqual([]);
    expect(ids).toHaveLength(parent.length - 1);
  });

  it('extends by name or path, merging maps deeply and keyed lists by key', async () => {
    const parent = await write(
      'parent.yaml',
      [
        'extends: healthy',
        'resourceGroups: [{ name: rg1, location: eastus }]',
        'resources:',
        '  - { id: /subscriptions/s/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/v1, location: eastus, tags: { a: "1" } }',
        'kubernetes:',
        '  - { apiVersion: v1, kind: Namespace, metadata: { name: one } }',
      ].join('\n'),
    );
    const child = await write(
      'child.json',
      JSON.stringify({
        extends: parent,
        description: 'child',
        pageSize: 3,
        subscription: { displayName: 'renamed' },
        providers: { 'Microsoft.Network': { registrationState: 'NotRegistered' } },
        resourceGroups: [
          { name: 'RG1', location: 'westus' },
          { name: 'rg2', location: 'westus' },
        ],
        resources: [
          {
            id: '/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/V1',
            location: 'westus',
          },
        ],
        kubernetes: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'two' } }],
        regions: [{ name: 'westus', usages: 'small' }],
      }),
    );
    const s = await loadScenario(child);
    expect(s).toMatchObject({ name: 'child', description: 'child', pageSize: 3 });
    expect(s.subscription).toMatchObject({ displayName: 'renamed', id: '6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f' });
    expect(s.providers['Microsoft.Network']?.registrationState).toBe('NotRegistered');
    expect(s.providers['Microsoft.ContainerInstance']?.registrationState).toBe('Registered');
    // healthy's own groups and resources (its cluster and VNet) come first; these files' follow.
    expect(s.resourceGroups.slice(-2)).toEqual([
      { name: 'RG1', location: 'westus' },
      { name: 'rg2', location: 'westus' },
    ]);
    expect(s.resources.filter((r) => String(r.id).startsWith('/subscriptions/s/'))).toEqual([
      { id: '/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/V1', location: 'westus' },
    ]);
    expect(s.kubernetes.map((k) => (k.metadata as { name: string }).name)).toEqual(['one', 'two']);
    const westus = s.regions.find((r) => r.name === 'westus');
    expect(westus?.usages.find((u) => u.name.value === 'StandardCores')?.limit).toBe(10);
    expect(westus?.capabilities.some((c) => c.gpu === 'K80')).toBe(true);
  });

  it('takes capability rows and resources from ARM examples', async () => {
    const file = await write(
      'examples.yaml',
      [
        'capabilityProfiles:',
        '  fromSpec: { fromExample: Microsoft.ContainerInstance/CapabilitiesList.json }',
        'regions:',
        '  - { name: westus, displayName: West US, capabilities: fromSpec, usages: { fromExample: Microsoft.ContainerInstance/ContainerGroupUsage.json } }',
        'resources:',
        '  - fromExample: Microsoft.Network/SubnetGetWithDelegation.json',
      ].join('\n'),
    );
    const s = await loadScenario(file);
    expect(s.regions[0]?.capabilities[0]).toMatchObject({
      gpu: 'K80',
      location: 'West US',
      capabilities: { maxCpu: 4, maxMemoryInGB: 14 },
    });
    expect(s.regions[0]?.usages).toEqual([
      {
        name: { localizedValue: 'Container Groups', value: 'ContainerGroups' },
        currentValue: 1,
        limit: 2000,
        unit: 'Count',
      },
    ]);
    expect(s.resources[0]?.id).toMatch(/\/virtualNetworks\/.+\/subnets\//);
  });

  it.each([
    ['unknown-key.yaml', 'regionz: []', /unknown key 'regionz'/],
    [
      'bad-profile.yaml',
      'regions: [{ name: x, capabilities: nope }]',
      /capabilities profile 'nope' is not in capabilityProfiles/,
    ],
    ['no-id.yaml', 'resources: [{ name: x }]', /resources\[0\] has no 'id'/],
    ['bad-page.yaml', 'pageSize: 0', /pageSize must be a positive integer/],
    ['bad-yaml.yaml', 'regions: [', /not valid YAML/],
    ['missing-example.yaml', 'resources: [{ fromExample: Nope/Missing.json }]', /Example Nope\/Missing.json not found/],
    ['loop.yaml', 'extends: ./loop.yaml', /extends itself/],
    [
      'bad-parent.yaml',
      'extends: nonexistent-scenario',
      /Unknown scenario 'nonexistent-scenario'. Known scenarios: .*\bhealthy\b/,
    ],
  ])('rejects %s', async (name, text, message) => {
    await expect(loadScenario(await write(name, text))).rejects.toThrow(message);
  });
});
