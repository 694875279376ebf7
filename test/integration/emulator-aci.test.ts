// Container groups as ACI runs them, through the real @azure/arm-containerinstance client: the create and delete
// operations, the instance view a GET shows and a list leaves out, the lifecycle the image name asks for, logs,
// the restart/stop/start verbs, quota from the live usages and a subnet that runs out of addresses.
import { type ContainerGroup, ContainerInstanceManagementClient } from '@azure/arm-containerinstance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { sdkClients, until } from '../helpers/emulated.js';

const RG = 'rg-aks';
const TIMING = { pullMs: 10, startMs: 5, runMs: 60, backoffMs: 30, maxBackoffMs: 120, logIntervalMs: 20 };

const client = (emu: Emulator) =>
  new ContainerInstanceManagementClient(
    { getToken: async () => ({ token: emu.token, expiresOnTimestamp: Date.now() + 3600e3 }) },
    emu.subscriptionId,
    { endpoint: emu.armEndpoint.replace(/\/$/, ''), tlsOptions: { ca: emu.caPem } } as never,
  );

const group = (image: string, extra: Partial<ContainerGroup> = {}): ContainerGroup => ({
  location: 'eastus',
  osType: 'Linux',
  restartPolicy: 'Never',
  containers: [{ name: 'app', image, ports: [{ port: 80 }], resources: { requests: { cpu: 1, memoryInGB: 1.5 } } }],
  ...extra,
});

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe('emulator: ACI container groups', () => {
  let emu: Emulator;
  let aci: ContainerInstanceManagementClient;
  beforeAll(async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 0, aciTiming: TIMING });
    aci = client(emu);
  });
  afterAll(() => emu.close());

  const create = (name: string, body: ContainerGroup) => aci.containerGroups.beginCreateOrUpdateAndWait(RG, name, body);
  const stateOf = async (name: string) => (await aci.containerGroups.get(RG, name)).instanceView?.state;

  it('pulls then runs: GET shows the instance view, lists (by group and subscription) leave it out', async () => {
    const created = await create('cg-run', group('nginx:1.27', { restartPolicy: 'Always' }));
    expect(created.provisioningState).toBe('Succeeded');
    await until(async () => (await stateOf('cg-run')) === 'Running');
    const got = await aci.containerGroups.get(RG, 'cg-run');
    const view = got.containers[0]!.instanceView!;
    expect(view.currentState).toMatchObject({ state: 'Running', detailStatus: '' });
    expect(view.currentState!.startTime).toBeInstanceOf(Date);
    expect(view.restartCount).toBe(0);
    expect(view.events!.map((e) => e.name)).toEqual(['Pulling', 'Pulled', 'Created', 'Started']);
    expect(view.events![0]).toMatchObject({ count: 1, type: 'Normal', message: 'pulling image "nginx:1.27"' });
    for (const listed of [
      await collect(aci.containerGroups.listByResourceGroup(RG)),
      await collect(aci.containerGroups.list()),
    ]) {
      const g = listed.find((x) => x.name === 'cg-run')!;
      expect(g.provisioningState).toBe('Succeeded');
      expect(g.instanceView).toBeUndefined();
      expect(g.containers[0]!.instanceView).toBeUndefined();
    }
  });

  it.each([
    ['emulator/exit:3', 'Never', 'Failed', 3, 'Error'],
    ['emulator/exit:0', 'OnFailure', 'Succeeded', 0, 'Completed'],
    ['emulator/oom', 'Never', 'Failed', 137, 'OOMKilled'],
  ] as const)('%s under %s ends %s with exit code %i (%s)', async (image, policy, end, code, detail) => {
    const name = `cg-${image.replace(/\W/g, '-')}-${policy.toLowerCase()}`;
    await create(name, group(image, { restartPolicy: policy }));
    await until(async () => (await stateOf(name)) === end);
    const c = (await aci.containerGroups.get(RG, name)).containers[0]!.instanceView!;
    expect(c.currentState).toMatchObject({ state: 'Terminated', exitCode: code, detailStatus: detail });
    expect(c.currentState!.finishTime).toBeInstanceOf(Date);
    expect(c.restartCount).toBe(0);
  });

  it('crash-loops under restartPolicy Always: restartCount grows, the last exit is the previous state', async () => {
    await create('cg-crash', group('emulator/crashloop:2', { restartPolicy: 'Always' }));
    await until(
      async () => ((await aci.containerGroups.get(RG, 'cg-crash')).containers[0]!.instanceView?.restartCount ?? 0) >= 2,
    );
    const got = await aci.containerGroups.get(RG, 'cg-crash');
    expect(got.instanceView?.state).toBe('Running');
    const c = got.containers[0]!.instanceView!;
    expect(c.previousState).toMatchObject({ state: 'Terminated', exitCode: 2, detailStatus: 'Error' });
    expect(c.events!.find((e) => e.name === 'BackOff')).toMatchObject({ type: 'Warning' });
    expect(c.events!.find((e) => e.name === 'Started')!.count).toBeGreaterThanOrEqual(2);
  });

  it('refuses an image it cannot reach with InaccessibleImage, and pull-backoff waits with Failed events', async () => {
    for (const image of ['registry.invalid.example/app:1', 'myregistry.azurecr.io/app:1']) {
      await expect(create('cg-noimage', group(image))).rejects.toMatchObject({
        statusCode: 400,
        code: 'InaccessibleImage',
        message: `The image '${image}' in container group 'cg-noimage' is not accessible. Please check the image and registry credential.`,
      });
    }
    const withCreds = group('myregistry.azurecr.io/app:1', {
      imageRegistryCredentials: [{ server: 'myregistry.azurecr.io', username: 'u', password: 'p' }],
    });
    expect((await create('cg-acr', withCreds)).provisioningState).toBe('Succeeded');
    // Write-only values never come back: the registry password, secure environment values.
    const secrets = group('nginx', {
      containers: [
        {
          name: 'app',
          image: 'nginx',
          environmentVariables: [
            { name: 'TOKEN', secureValue: 's3cret' },
            { name: 'MODE', value: 'x' },
          ],
          resources: { requests: { cpu: 1, memoryInGB: 1 } },
        },
      ],
    });
    await create('cg-secret', secrets);
    for (const read of [
      JSON.stringify(await aci.containerGroups.get(RG, 'cg-acr')),
      JSON.stringify(await aci.containerGroups.get(RG, 'cg-secret')),
      JSON.stringify(await collect(aci.containerGroups.listByResourceGroup(RG))),
    ]) {
      expect(read).not.toMatch(/s3cret|"password"/);
    }
    expect((await aci.containerGroups.get(RG, 'cg-secret')).containers[0]!.environmentVariables).toEqual([
      { name: 'TOKEN' },
      { name: 'MODE', value: 'x' },
    ]);

    await create('cg-pull', group('emulator/pull-backoff'));
    await until(async () => {
      const c = (await aci.containerGroups.get(RG, 'cg-pull')).containers[0]!.instanceView;
      return (c?.events ?? []).some((e) => e.name === 'BackOff');
    });
    const got = await aci.containerGroups.get(RG, 'cg-pull');
    expect(got.instanceView?.state).toBe('Pending');
    const c = got.containers[0]!.instanceView!;
    expect(c.currentState).toMatchObject({ state: 'Waiting' });
    expect(c.currentState!.detailStatus).toMatch(/^ImagePullBackOff/);
    expect(c.events!.find((e) => e.name === 'Failed')).toMatchObject({ type: 'Warning' });
  });

  it('serves the logs the workload prints, with tail and timestamps', async () => {
    await create('cg-logs', group('emulator/exit:4'));
    await until(async () => (await stateOf('cg-logs')) === 'Failed');
    const all = (await aci.containers.listLogs(RG, 'cg-logs', 'app')).content!;
    expect(all.split('\n')[0]).toBe('app: starting emulator/exit:4 (run 1)');
    expect(all.endsWith('app: exiting with code 4\n')).toBe(true);
    const tail = (await aci.containers.listLogs(RG, 'cg-logs', 'app', { tail: 1, timestamps: true })).content!;
    expect(tail).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z app: exiting with code 4\n$/);
    await expect(aci.containers.listLogs(RG, 'cg-logs', 'nope')).rejects.toMatchObject({
      statusCode: 404,
      code: 'ContainerNotFound',
    });
  });

  it('restarts, stops and starts a group', async () => {
    await create('cg-verbs', group('emulator/exit:0'));
    await until(async () => (await stateOf('cg-verbs')) === 'Succeeded');
    await aci.containerGroups.beginRestartAndWait(RG, 'cg-verbs');
    expect(await stateOf('cg-verbs')).not.toBe('Succeeded');
    await aci.containerGroups.stop(RG, 'cg-verbs');
    const stopped = await aci.containerGroups.get(RG, 'cg-verbs');
    expect(stopped.instanceView?.state).toBe('Stopped');
    expect(stopped.containers[0]!.instanceView).toBeUndefined();
    await aci.containerGroups.beginStartAndWait(RG, 'cg-verbs');
    await until(async () => (await stateOf('cg-verbs')) === 'Succeeded');
  });

  it('checks bodies as ACI does', async () => {
    const cases: [Partial<ContainerGroup>, string][] = [
      [{ containers: [] }, 'MissingContainers'],
      [
        { containers: [{ name: 'Bad_Name', image: 'nginx', resources: { requests: { cpu: 1, memoryInGB: 1 } } }] },
        'InvalidContainerName',
      ],
      [
        { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: 0, memoryInGB: 1 } } }] },
        'ResourceRequestsNotSpecified',
      ],
      [{ ipAddress: { type: 'Public', ports: [] } }, 'MissingIpAddressPorts'],
      [
        {
          containers: [
            {
              name: 'app',
              image: 'nginx',
              resources: { requests: { cpu: 0.5, memoryInGB: 1 }, limits: { cpu: 2, memoryInGB: 1 } },
            },
          ],
        },
        'ContainerLimitGreaterThanContainerGroupTotalRequest',
      ],
      [
        {
          containers: [
            {
              name: 'app',
              image: 'nginx',
              volumeMounts: [{ name: 'v', mountPath: '/v' }],
              resources: { requests: { cpu: 1, memoryInGB: 1 } },
            },
          ],
        },
        'VolumeMountNameNotFound',
      ],
    ];
    for (const [override, code] of cases) {
      await expect(create('cg-bad', group('nginx', override))).rejects.toMatchObject({ statusCode: 400, code });
    }
    await expect(
      create(
        'cg-huge',
        group('nginx', {
          containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: 64, memoryInGB: 1 } } }],
        }),
      ),
    ).rejects.toMatchObject({
      statusCode: 409,
      code: 'ServiceUnavailable',
      message: expect.stringContaining("Resource requested: '64' CPU"),
    });
  });

  it('deletes a group as a long-running operation', async () => {
    await create('cg-gone', group('nginx'));
    await aci.containerGroups.beginDeleteAndWait(RG, 'cg-gone');
    await expect(aci.containerGroups.get(RG, 'cg-gone')).rejects.toMatchObject({ statusCode: 404 });
  });
});

describe('emulator: ACI quota and subnet addresses', () => {
  let emu: Emulator;
  afterAll(() => emu?.close());

  it('counts live groups in the usages and refuses a group past the quota', async () => {
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 0, aciTiming: TIMING });
    const aci = client(emu);
    const usage = async (name: string) =>
      (await collect(aci.location.listUsage('eastus'))).find((u) => u.name?.value === name)?.currentValue ?? -1;
    const [groups, cores] = [await usage('ContainerGroups'), await usage('StandardCores')];
    await aci.containerGroups.beginCreateOrUpdateAndWait(RG, 'cg-q', {
      ...group('nginx'),
      containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: 1.5, memoryInGB: 1 } } }],
    });
    expect(await usage('ContainerGroups')).toBe(groups + 1);
    expect(await usage('StandardCores')).toBe(cores + 2);
    await emu.close();

    emu = await startEmulator({ scenario: 'no-quota', lroDelayMs: 0 });
    await expect(
      client(emu).containerGroups.beginCreateOrUpdateAndWait(RG, 'cg-q', group('nginx')),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: 'ContainerGroupQuotaReached',
      message: expect.stringMatching(
        /^Resource type 'Microsoft\.ContainerInstance\/containerGroups' container group quota '(ContainerGroups|StandardCores)' exceeded in region 'eastus'\. Limit: '\d+', Usage: '\d+' Requested: '1'\.$/,
      ),
    });
  });

  it('gives each group in a subnet the next address and fails with SubnetIsFull when none is left', async () => {
    await emu.close();
    emu = await startEmulator({ scenario: 'healthy', lroDelayMs: 0, aciTiming: TIMING });
    const aci = client(emu);
    const { network } = sdkClients(emu);
    const subnet = await network.subnets.beginCreateOrUpdateAndWait('rg-network', 'aks-vnet', 'aci-small', {
      addressPrefix: '10.250.0.0/29',
      delegations: [{ name: 'aci', serviceName: 'Microsoft.ContainerInstance/containerGroups' }],
    });
    const inSubnet = group('nginx', {
      ipAddress: { type: 'Private', ports: [{ port: 80 }] },
      subnetIds: [{ id: subnet.id! }],
    });
    const ips: string[] = [];
    for (const name of ['cg-a', 'cg-b', 'cg-c'])
      ips.push((await aci.containerGroups.beginCreateOrUpdateAndWait(RG, name, inSubnet)).ipAddress!.ip!);
    expect(ips).toEqual(['10.250.0.4', '10.250.0.5', '10.250.0.6']);
    await expect(aci.containerGroups.beginCreateOrUpdateAndWait(RG, 'cg-d', inSubnet)).rejects.toMatchObject({
      statusCode: 400,
      code: 'SubnetIsFull',
    });
    await aci.containerGroups.beginDeleteAndWait(RG, 'cg-b');
    expect((await aci.containerGroups.beginCreateOrUpdateAndWait(RG, 'cg-d', inSubnet)).ipAddress!.ip).toBe(
      '10.250.0.5',
    );
  });
});

describe('emulator: the ACI scenarios', () => {
  const SUBNET =
    '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/virtual-node-aci';
  const inSubnet = group('nginx', {
    ipAddress: { type: 'Private', ports: [{ port: 80 }] },
    subnetIds: [{ id: SUBNET }],
  });

  it.each([
    ['aci-quota-tight', 'ContainerGroupQuotaReached'],
    ['aci-subnet-small', 'SubnetIsFull'],
  ])('%s: three groups fit, the fourth fails with %s', async (scenario, code) => {
    const emu = await startEmulator({ scenario, lroDelayMs: 0, aciTiming: TIMING });
    try {
      const aci = client(emu);
      for (const name of ['cg-1', 'cg-2', 'cg-3'])
        await aci.containerGroups.beginCreateOrUpdateAndWait(RG, name, inSubnet);
      await expect(aci.containerGroups.beginCreateOrUpdateAndWait(RG, 'cg-4', inSubnet)).rejects.toMatchObject({
        statusCode: 400,
        code,
      });
    } finally {
      await emu.close();
    }
  });
});

describe('emulator: quota on an update', () => {
  it('counts only what an update adds: growing a group past the cores left is refused', async () => {
    const emu = await startEmulator({ scenario: 'aci-quota-tight', lroDelayMs: 0, aciTiming: TIMING });
    try {
      const aci = client(emu);
      const sized = (cpu: number) =>
        group('nginx', {
          containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu, memoryInGB: 1 } } }],
        });
      for (const name of ['cg-1', 'cg-2', 'cg-3'])
        await aci.containerGroups.beginCreateOrUpdateAndWait(RG, name, sized(1));
      expect((await aci.containerGroups.beginCreateOrUpdateAndWait(RG, 'cg-1', sized(2))).provisioningState).toBe(
        'Succeeded',
      );
      await expect(aci.containerGroups.beginCreateOrUpdateAndWait(RG, 'cg-1', sized(3))).rejects.toMatchObject({
        statusCode: 400,
        code: 'ContainerGroupQuotaReached',
        message: expect.stringContaining(
          "quota 'StandardCores' exceeded in region 'eastus'. Limit: '4', Usage: '4' Requested: '1'.",
        ),
      });
    } finally {
      await emu.close();
    }
  });
});

describe("emulator: a scenario's images rules", () => {
  it('lends an image the behaviour of another: it is accepted and runs as that one does', async () => {
    const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'vnodes-images-'));
    const file = join(dir, 'images.yaml');
    await writeFile(
      file,
      [
        'description: images that behave as others',
        'extends: healthy',
        'images:',
        "  - { image: 'contoso.azurecr.io/api:*', as: 'emulator/crashloop:2' }",
        "  - { image: 'registry.invalid.example/*', as: nginx }",
        '',
      ].join('\n'),
    );
    const emu = await startEmulator({ scenario: file, lroDelayMs: 0, aciTiming: TIMING });
    try {
      const aci = client(emu);
      await aci.containerGroups.beginCreateOrUpdateAndWait(
        RG,
        'cg-api',
        group('contoso.azurecr.io/api:7', { restartPolicy: 'Never' }),
      );
      await aci.containerGroups.beginCreateOrUpdateAndWait(RG, 'cg-web', group('registry.invalid.example/web:1'));
      await until(async () => (await aci.containerGroups.get(RG, 'cg-api')).instanceView?.state === 'Failed');
      const api = (await aci.containerGroups.get(RG, 'cg-api')).containers[0]!.instanceView!;
      expect(api.currentState).toMatchObject({ state: 'Terminated', exitCode: 2 });
      expect(api.events![0]!.message).toBe('pulling image "contoso.azurecr.io/api:7"');
      await until(async () => (await aci.containerGroups.get(RG, 'cg-web')).instanceView?.state === 'Running');
    } finally {
      await emu.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
