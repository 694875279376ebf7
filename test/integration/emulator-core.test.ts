import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerInstanceManagementClient } from '@azure/arm-containerinstance';
import { ResourceManagementClient } from '@azure/arm-resources';
import type { TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, listScenarios, startEmulator } from '../../src/emulator/index.js';
import { withSharedEtag } from '../helpers/arm.js';

const RG = '/resourceGroups/rg-test';
const ONE_CONTAINER = {
  name: 'app',
  properties: { image: 'nginx', resources: { requests: { cpu: 1, memoryInGB: 1 } } },
};

/** A static credential, the way vnodes authenticates against the emulator. */
const credential = (token: string): TokenCredential => ({
  getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600e3 }),
});

const clientOptions = (emu: Emulator, extra: Record<string, unknown> = {}) => ({
  endpoint: emu.armEndpoint,
  tlsOptions: { ca: emu.caPem },
  ...extra,
});

const resources = (emu: Emulator, extra?: Record<string, unknown>, token = emu.token) =>
  new ResourceManagementClient(credential(token), emu.subscriptionId, clientOptions(emu, extra));

const aci = (emu: Emulator, extra?: Record<string, unknown>) =>
  new ContainerInstanceManagementClient(credential(emu.token), emu.subscriptionId, clientOptions(emu, extra));

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** A plain HTTPS request, for what the SDKs hide (headers, exact statuses, no auth). */
function raw(
  emu: Emulator,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; auth?: string | null } = {},
): Promise<RawResponse> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const auth = options.auth === undefined ? `Bearer ${emu.token}` : options.auth;
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path.replace(/^\//, ''), emu.armEndpoint),
      {
        method,
        ca: emu.caPem,
        headers: {
          ...(auth === null ? {} : { Authorization: auth }),
          ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text === '' ? undefined : JSON.parse(text),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function collect<T>(iter: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iter) out.push(item);
  return out;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vnodes-emulator-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a scenario file for one test and returns its path. */
async function scenarioFile(name: string, yaml: string): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  await writeFile(file, yaml);
  return file;
}

describe('emulator: providers and registration', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ scenario: 'rp-unregistered' });
  });
  afterAll(() => emu.close());

  it('lists the shipped scenarios and hands out its environment', () => {
    expect(listScenarios()).toEqual(
      expect.arrayContaining(['healthy', 'no-quota', 'region-without-vnet', 'rp-unregistered']),
    );
    expect(emu.armEndpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    expect(emu.env()).toEqual({
      VNODES_ARM_ENDPOINT: emu.armEndpoint,
      VNODES_ARM_CA_FILE: emu.caFile,
      VNODES_ARM_TOKEN: emu.token,
      VNODES_GRAPH_ENDPOINT: emu.graphEndpoint,
      AZURE_SUBSCRIPTION_ID: emu.subscriptionId,
    });
  });

  it('fails ACI calls until the provider is registered, then Registering → Registered over reads', async () => {
    const rm = resources(emu);
    const before = await rm.providers.get('microsoft.containerinstance');
    expect(before).toMatchObject({ namespace: 'Microsoft.ContainerInstance', registrationState: 'NotRegistered' });
    const cg = before.resourceTypes?.find((t) => t.resourceType === 'containerGroups');
    expect(cg?.locations).toContain('East US');
    expect(cg?.apiVersions).toContain('2023-05-01');

    await expect(collect(aci(emu).location.listCapabilities('eastus'))).rejects.toMatchObject({
      statusCode: 409,
      code: 'MissingSubscriptionRegistration',
    });

    expect((await rm.providers.register('Microsoft.ContainerInstance')).registrationState).toBe('Registering');
    const states = [];
    for (let i = 0; i < 3; i += 1)
      states.push((await rm.providers.get('Microsoft.ContainerInstance')).registrationState);
    expect(states).toEqual(['Registering', 'Registering', 'Registered']);
    expect(await collect(aci(emu).location.listCapabilities('eastus'))).not.toHaveLength(0);
    expect(emu.requests.count({ operation: 'Providers_Register', kind: 'write' })).toBe(1);
  });

  it('lists providers and subscriptions', async () => {
    const all = await collect(resources(emu).providers.list());
    expect(all.map((p) => p.namespace)).toEqual(
      expect.arrayContaining(['Microsoft.Network', 'Microsoft.ContainerService']),
    );
    const subs = await raw(emu, 'GET', '/subscriptions?api-version=2022-12-01');
    expect(subs.body.value[0]).toMatchObject({
      subscriptionId: emu.subscriptionId,
      tenantId: emu.tenantId,
      state: 'Enabled',
    });
  });
});

describe('emulator: ACI capabilities and usages', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ scenario: await scenarioFile('paged', 'extends: healthy\npageSize: 2\n') });
  });
  afterAll(() => emu.close());

  it('pages capabilities through nextLink and returns usages in one page', async () => {
    const rows = await collect(aci(emu).location.listCapabilities('eastus'));
    expect(rows).toHaveLength(6);
    expect(rows.some((r) => r.osType === 'Linux' && r.ipAddressType === 'Private' && r.location === 'East US')).toBe(
      true,
    );
    expect(rows.filter((r) => r.gpu !== 'None').map((r) => r.gpu)).toEqual(['K80', 'P100', 'V100']);
    expect(emu.requests.count({ operation: 'Location_ListCapabilities' })).toBe(3);
    const usages = await collect(aci(emu).location.listUsage('eastus'));
    expect(usages.map((u) => u.name?.value)).toEqual(['ContainerGroups', 'StandardCores', 'StandardSpotCores']);
  });

  it('pages resource groups too', async () => {
    const rm = resources(emu);
    for (const name of ['a', 'b', 'c', 'd', 'e'])
      await rm.resourceGroups.createOrUpdate(`rg-${name}`, { location: 'West Europe' });
    // healthy already holds the groups of its cluster and VNet; those made here come after them, in order.
    const created = ['rg-a', 'rg-b', 'rg-c', 'rg-d', 'rg-e'];
    const groups = (await collect(rm.resourceGroups.list())).filter((g) => created.includes(g.name ?? ''));
    expect(groups.map((g) => g.name)).toEqual(created);
    expect(groups[0]).toMatchObject({ location: 'westeurope', properties: { provisioningState: 'Succeeded' } });
    expect((await rm.resourceGroups.get('RG-C')).id).toBe(`/subscriptions/${emu.subscriptionId}/resourceGroups/rg-c`);
  });

  it('answers an unknown region like ARM', async () => {
    await expect(collect(aci(emu).location.listCapabilities('atlantis'))).rejects.toMatchObject({
      statusCode: 400,
      code: 'NoRegisteredProviderFound',
    });
  });

  it('reflects region-specific scenarios', async () => {
    const noVnet = await startEmulator({ scenario: 'region-without-vnet' });
    const noQuota = await startEmulator({ scenario: 'no-quota' });
    try {
      const rows = await collect(aci(noVnet).location.listCapabilities('eastus'));
      expect(rows.filter((r) => r.ipAddressType === 'Private')).toEqual([]);
      expect(await collect(aci(noVnet).location.listCapabilities('eastus2'))).toContainEqual(
        expect.objectContaining({ osType: 'Linux', ipAddressType: 'Private' }),
      );
      const usage = await collect(aci(noQuota).location.listUsage('eastus'));
      expect(usage.find((u) => u.name?.value === 'ContainerGroups')).toMatchObject({ currentValue: 100, limit: 100 });
    } finally {
      await Promise.all([noVnet.close(), noQuota.close()]);
    }
  });
});

describe('emulator: ARM front', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ lroDelayMs: 30 });
    await resources(emu).resourceGroups.createOrUpdate('rg-test', { location: 'eastus' });
  });
  afterAll(() => emu.close());

  it('rejects a missing or wrong token with 401', async () => {
    emu.requests.clear();
    await expect(resources(emu, {}, 'not-the-token').providers.get('Microsoft.Network')).rejects.toMatchObject({
      statusCode: 401,
      code: 'InvalidAuthenticationToken',
    });
    // The challenge carries no claims, so the SDK's challenge handling gives up after one request.
    expect(emu.requests.count({ status: 401 })).toBe(1);
    const none = await raw(emu, 'GET', '/subscriptions?api-version=2022-12-01', { auth: null });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('AuthenticationFailed');
    expect(none.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('answers errors in the ARM envelope with a request id', async () => {
    const sub = `/subscriptions/${emu.subscriptionId}`;
    const cases: [string, number, string][] = [
      [`${sub}/resourceGroups/rg-test`, 400, 'MissingApiVersionParameter'],
      [`${sub}/resourceGroups/rg-test?api-version=2099-01-01`, 400, 'InvalidApiVersionParameter'],
      [
        `${sub}/providers/Microsoft.ContainerInstance/locations/eastus/capabilities?api-version=2099-01-01`,
        400,
        'NoRegisteredProviderFound',
      ],
      [
        `/subscriptions/00000000-dead-beef-0000-000000000000/resourceGroups?api-version=2021-04-01`,
        404,
        'SubscriptionNotFound',
      ],
      [`${sub}/resourceGroups/nope?api-version=2021-04-01`, 404, 'ResourceGroupNotFound'],
      [
        `${sub}/resourceGroups/nope/providers/Microsoft.Network/virtualNetworks/v?api-version=2022-07-01`,
        404,
        'ResourceGroupNotFound',
      ],
      [`${sub}${RG}/providers/Microsoft.Network/virtualNetworks/v?api-version=2022-07-01`, 404, 'ResourceNotFound'],
      [
        `${sub}${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s?api-version=2026-01-01`,
        404,
        'ResourceNotFound',
      ],
      [`${sub}${RG}/providers/Microsoft.Network/teleporters/t?api-version=2022-07-01`, 404, 'InvalidResourceType'],
      [`${sub}${RG}/providers/Microsoft.Nope/things/t?api-version=2022-07-01`, 400, 'InvalidResourceNamespace'],
    ];
    for (const [path, status, code] of cases) {
      const res = await raw(emu, 'GET', path);
      expect({ path, status: res.status, code: res.body?.error?.code }).toEqual({ path, status, code });
      expect(res.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
    }
    const putChild = await raw(
      emu,
      'PUT',
      `${sub}${RG}/providers/Microsoft.Network/virtualNetworks/v/subnets/s?api-version=2026-01-01`,
      {
        body: { properties: { addressPrefix: '10.0.0.0/24' } },
      },
    );
    expect([putChild.status, putChild.body.error.code]).toEqual([404, 'ParentResourceNotFound']);
  });

  it('stores generic resources case-insensitively and honours If-Match / If-None-Match', async () => {
    const id = `/subscriptions/${emu.subscriptionId}${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1`;
    const url = `${id}?api-version=2023-01-31`;
    const body = { location: 'East US', tags: { owner: 'vnodes' } };
    const created = await raw(emu, 'PUT', url, { body, headers: { 'If-None-Match': '*' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id,
      name: 'id1',
      type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
      location: 'eastus',
    });
    const etag = created.headers.etag as string;
    expect(etag).toMatch(/^W\/"[0-9a-f-]{36}"$/);

    const again = await raw(emu, 'PUT', url, { body, headers: { 'If-None-Match': '*' } });
    expect([again.status, again.body.error.code]).toEqual([412, 'PreconditionFailed']);
    const stale = await raw(emu, 'PUT', url.toUpperCase().replace('API-VERSION=', 'api-version='), {
      body,
      headers: { 'If-Match': 'W/"00000000-0000-0000-0000-000000000000"' },
    });
    expect(stale.status).toBe(412);
    const updated = await raw(emu, 'PUT', url, { body, headers: { 'If-Match': etag } });
    expect(updated.status).toBe(200);
    expect(updated.headers.etag).not.toBe(etag);
    const patched = await raw(emu, 'PATCH', url, { body: { tags: { owner: null, team: 'aks' } } });
    expect(patched.body.tags).toEqual({ team: 'aks' });

    const shouted = await raw(emu, 'GET', `${id.toUpperCase()}?api-version=2018-11-30`);
    expect(shouted.body.id).toBe(id);
    expect((await raw(emu, 'HEAD', url)).status).toBe(204);
    expect((await raw(emu, 'DELETE', url, { headers: { 'If-Match': etag } })).status).toBe(412);
    expect((await raw(emu, 'DELETE', url)).status).toBe(200);
    expect((await raw(emu, 'DELETE', url)).status).toBe(204);
    expect((await raw(emu, 'HEAD', url)).status).toBe(404);
  });

  it('gives Network resources their RP defaults: long-running writes, etag in the body, one write at a time', async () => {
    const url = `/subscriptions/${emu.subscriptionId}${RG}/providers/Microsoft.Network/virtualNetworks/vnet1?api-version=2022-07-01`;
    const body = { location: 'eastus', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } } };
    const created = await raw(emu, 'PUT', url, { body });
    expect(created.status).toBe(201);
    expect(created.body.etag).toBe(created.headers.etag);
    // Network never says Creating: a create reports Updating, as any other write.
    expect(created.body.properties.provisioningState).toBe('Updating');
    expect(created.headers['azure-asyncoperation']).toMatch(
      /\/providers\/Microsoft\.Network\/locations\/eastus\/operations\//,
    );
    const busy = await raw(emu, 'PUT', url, { body });
    expect([busy.status, busy.body.error.code]).toEqual([409, 'AnotherOperationInProgress']);
    await new Promise((r) => setTimeout(r, 40));
    expect((await raw(emu, 'GET', url)).body.properties.provisioningState).toBe('Succeeded');
  });

  it('runs a long-running PUT through Azure-AsyncOperation to Succeeded', async () => {
    const id = `/subscriptions/${emu.subscriptionId}${RG}/providers/Microsoft.ContainerInstance/containerGroups/cg-raw`;
    const started = await raw(emu, 'PUT', `${id}?api-version=2023-05-01`, {
      body: { location: 'eastus', properties: { osType: 'Linux', containers: [ONE_CONTAINER] } },
    });
    expect(started.status).toBe(201);
    expect(started.body.properties.provisioningState).toBe('Creating');
    const statusUrl = new URL(started.headers['azure-asyncoperation'] as string);
    expect(statusUrl.origin).toBe(new URL(emu.armEndpoint).origin);
    expect(statusUrl.pathname).toMatch(
      /\/providers\/Microsoft\.ContainerInstance\/locations\/eastus\/operations\/[0-9a-f-]{36}$/,
    );
    expect(started.headers.location).toMatch(/\/operationResults\//);
    expect(started.headers['retry-after']).toBe('1');

    const status = await raw(emu, 'GET', statusUrl.pathname + statusUrl.search);
    expect(status.body).toMatchObject({ status: 'Succeeded' });
    const after = await raw(emu, 'GET', `${id}?api-version=2023-05-01`);
    expect(after.body.properties.provisioningState).toBe('Succeeded');
    expect(emu.requests.count({ kind: 'poll' })).toBeGreaterThanOrEqual(1);
  });

  it('runs LROs through the real SDK poller, and fails them with lro-fail', async () => {
    const client = aci(emu);
    const group = {
      location: 'eastus',
      osType: 'Linux',
      containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: 1, memoryInGB: 1 } } }],
    } as never;
    const done = await client.containerGroups.beginCreateOrUpdateAndWait('rg-test', 'cg-sdk', group);
    expect(done.provisioningState).toBe('Succeeded');
    expect((await collect(client.containerGroups.listByResourceGroup('rg-test'))).map((g) => g.name)).toContain(
      'cg-sdk',
    );
    expect((await collect(client.containerGroups.list())).length).toBeGreaterThanOrEqual(1);

    emu.setFaults('lro-fail/SubnetMissingRequiredDelegation:x1:PUT */containerGroups/*');
    // core-lro reports a Failed operation as a plain Error carrying the operation's error code.
    await expect(client.containerGroups.beginCreateOrUpdateAndWait('rg-test', 'cg-bad', group)).rejects.toThrow(
      /SubnetMissingRequiredDelegation/,
    );
    expect((await client.containerGroups.get('rg-test', 'cg-bad')).provisioningState).toBe('Failed');
    emu.setFaults([]);

    await client.containerGroups.beginDeleteAndWait('rg-test', 'cg-sdk');
    await expect(client.containerGroups.get('rg-test', 'cg-sdk')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceNotFound',
    });
  });
});

describe('emulator: faults', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator();
  });
  afterAll(() => emu.close());

  it('throttles with 429 + Retry-After and the SDK retries', async () => {
    emu.requests.clear();
    emu.setFaults('429:x1:GET */providers/Microsoft.Network');
    const provider = await resources(emu).providers.get('Microsoft.Network');
    expect(provider.registrationState).toBe('Registered');
    const tries = emu.requests.entries.filter((e) => e.operation === 'Providers_Get');
    expect(tries.map((e) => e.status)).toEqual([429, 200]);
    expect(emu.requests.count({ operation: 'Providers_Get' })).toBe(2);
  });

  it('survives a 503 with Retry-After: 0', async () => {
    emu.requests.clear();
    emu.setFaults('503/0:x1:Location_ListUsage');
    expect(await collect(aci(emu).location.listUsage('westus'))).toHaveLength(3);
    expect(emu.requests.entries.map((e) => e.status)).toEqual([503, 200]);
  });

  it('drops connections', async () => {
    emu.requests.clear();
    emu.setFaults('drop:1:Providers_Get');
    await expect(
      resources(emu, { retryOptions: { maxRetries: 0 } }).providers.get('Microsoft.Network'),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|REQUEST_SEND_ERROR/),
    });
    expect(emu.requests.entries.at(-1)).toMatchObject({ operation: 'Providers_Get', status: 0 });
    emu.setFaults([]);
  });

  it('adds latency to every request', async () => {
    emu.setLatency(60);
    const t0 = performance.now();
    await resources(emu).providers.get('Microsoft.Network');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
    emu.setLatency(0);
  });
});

describe('emulator: scenarios with ARM examples', () => {
  it('loads example bodies unchanged', async () => {
    const file = await scenarioFile(
      'examples',
      [
        'description: fixtures as they are',
        'extends: healthy',
        'resources:',
        '  - fromExample: Microsoft.Network/VirtualNetworkGet.json',
        '  - fromExample: Microsoft.ContainerService/ManagedClustersGet.json',
        '  - fromExample: Microsoft.ContainerInstance/ContainerGroupsListByResourceGroup.json',
        'kubernetes:',
        '  - { apiVersion: v1, kind: Namespace, metadata: { name: demo } }',
      ].join('\n'),
    );
    const emu = await startEmulator({ scenario: file });
    try {
      const examples = join(import.meta.dirname, '../../src/emulator/scenarios/examples');
      const example = async (p: string) => JSON.parse(await readFile(join(examples, p), 'utf8')).responses['200'].body;
      const vnet = await example('Microsoft.Network/VirtualNetworkGet.json');
      const got = await raw(emu, 'GET', `${vnet.id}?api-version=2026-01-01`);
      expect(got.body).toEqual(withSharedEtag(vnet, got.body.etag));
      const cluster = await example('Microsoft.ContainerService/ManagedClustersGet.json');
      const gotCluster = await raw(emu, 'GET', `${cluster.id}?api-version=2026-04-01`);
      expect(gotCluster.body).toEqual(cluster);
      expect(gotCluster.headers.etag).toBe(cluster.eTag);
      const groups = (await example('Microsoft.ContainerInstance/ContainerGroupsListByResourceGroup.json')).value;
      const listed = await raw(
        emu,
        'GET',
        `/subscriptions/subid/resourceGroups/demo/providers/Microsoft.ContainerInstance/containerGroups?api-version=2023-05-01`,
      );
      expect(listed.body.value).toEqual(groups);
    } finally {
      await emu.close();
    }
  });
});
