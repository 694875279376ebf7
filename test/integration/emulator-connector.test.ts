// The emulated aci-connector add-on, read the way users and vnodes read it: through the cluster's real Kubernetes
// API (client-node over HTTPS, kubectl with the kubeconfig ARM hands out), while ARM changes drive it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizationManagementClient } from '@azure/arm-authorization';
import { ContainerServiceClient } from '@azure/arm-containerservice';
import type { TokenCredential } from '@azure/core-auth';
import { AppsV1Api, CoordinationV1Api, CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { AKS_API, armGet, armRequest, NETWORK_API } from '../helpers/arm.js';
import { virtualNodePod } from '../helpers/emulated.js';

const SUB = '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f';
const VNET = `${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/aks-vnet`;
const ACI_SUBNET = `${VNET}/subnets/virtual-node-aci`;
/** The add-on identity of the missing-role and addon-enabled scenarios. */
const ADDON_PRINCIPAL = '5c1e9a7b-2d4f-4b6a-8e3c-7f9d1b2a4c6e';
const role = (guid: string) => `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
const NETWORK_CONTRIBUTOR = role('4d97b98b-1d4f-4787-a291-c67834d212e7');
const READER = role('acdd72a7-3385-48ef-bd42-f606fba81ae7');
const KUBECTL = '/usr/bin/kubectl';

const credential = (token: string): TokenCredential => ({
  getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3600e3 }),
});
const sdkOptions = (emu: Emulator) =>
  ({ endpoint: emu.armEndpoint, tlsOptions: { ca: emu.caPem }, updateIntervalInMs: 5 }) as never;
const authz = (emu: Emulator) =>
  new AuthorizationManagementClient(credential(emu.token), emu.subscriptionId, sdkOptions(emu));
const aks = (emu: Emulator) => new ContainerServiceClient(credential(emu.token), emu.subscriptionId, sdkOptions(emu));

let emu: Emulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** An emulator and client-node clients for its cluster, built from the kubeconfig `emulator.kube()` gives. */
async function open(scenario: string, options: EmulatorOptions = {}) {
  emu = await startEmulator({
    scenario,
    lroDelayMs: 5,
    connectorReconcileMs: 25,
    principalPropagationMs: 0,
    ...options,
  });
  const kc = new KubeConfig();
  kc.loadFromString((await emu.kube()).kubeconfig());
  return {
    emu,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    leases: kc.makeApiClient(CoordinationV1Api),
  };
}

/** Polls `read` until `ok` holds (about 3 s at most), returning the last value. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let v = await read();
  for (let i = 0; i < 150 && !ok(v); i++) {
    await new Promise((r) => setTimeout(r, 20));
    v = await read();
  }
  return v;
}

const connectorPods = (core: CoreV1Api) =>
  core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'app=aci-connector-linux' }).then((l) => l.items);
const nodeNames = (core: CoreV1Api) => core.listNode().then((l) => l.items.map((n) => n.metadata!.name!));
const ready = (core: CoreV1Api) =>
  core.readNode({ name: 'virtual-node-aci-linux' }).then(
    (n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status,
    () => undefined,
  );
const running = (pods: V1Pod[]) => pods.length === 1 && pods[0]!.status?.containerStatuses?.[0]?.ready === true;
const restarts = (pods: V1Pod[]) => pods[0]?.status?.containerStatuses?.[0]?.restartCount ?? 0;

describe('emulator: the aci-connector add-on', () => {
  it('addon-enabled: registers virtual-node-aci-linux as virtual-kubelet does, with a renewed lease and a Running connector', async () => {
    const { core, apps, leases } = await open('addon-enabled');
    const node = await core.readNode({ name: 'virtual-node-aci-linux' });
    expect(node.metadata?.labels).toMatchObject({
      type: 'virtual-kubelet',
      'kubernetes.io/role': 'agent',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/hostname': 'virtual-node-aci-linux',
      'kubernetes.azure.com/managed': 'false',
    });
    expect(node.spec?.taints).toEqual([{ key: 'virtual-kubelet.io/provider', value: 'azure', effect: 'NoSchedule' }]);
    expect(node.status?.capacity).toEqual({ cpu: '10k', memory: '4Ti', pods: '5k' });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'True',
      reason: 'KubeletReady',
    });
    const lease = await leases.readNamespacedLease({ namespace: 'kube-node-lease', name: 'virtual-node-aci-linux' });
    expect(lease.spec).toMatchObject({ holderIdentity: 'virtual-node-aci-linux', leaseDurationSeconds: 40 });
    expect(Date.now() - new Date(lease.spec!.renewTime as unknown as string).getTime()).toBeLessThan(15_000);
    const pods = await connectorPods(core);
    expect(pods.map((p) => [p.status?.phase, p.spec?.nodeName])).toEqual([
      ['Running', expect.stringMatching(/^aks-nodepool1-\d{8}-vmss000000$/)],
    ]);
    expect(running(pods)).toBe(true);
    const deployment = await apps.readNamespacedDeployment({ namespace: 'kube-system', name: 'aci-connector-linux' });
    expect(deployment.status).toMatchObject({ availableReplicas: 1, readyReplicas: 1 });
  });

  it('missing-role: crash-loops with the AuthorizationFailed text and no node; a role granted later brings it up within a period', async () => {
    const { emu, core } = await open('missing-role');
    const crashing = await until(
      () => connectorPods(core),
      (p) => restarts(p) >= 2,
    );
    const status = crashing[0]!.status!.containerStatuses![0]!;
    expect(status.state?.waiting?.reason).toBe('CrashLoopBackOff');
    expect(status.ready).toBe(false);
    const text =
      "does not have authorization to perform action 'Microsoft.Network/virtualNetworks/subnets/read' over scope " +
      `'${ACI_SUBNET}' or the scope is invalid.`;
    // logrus quotes the error field, so its inner quotes come escaped, as in the real connector's log.
    expect(status.lastState?.terminated?.message).toContain('error code \\"AuthorizationFailed\\"');
    expect(status.lastState?.terminated?.message).toContain(text);
    const log = await core.readNamespacedPodLog({ namespace: 'kube-system', name: crashing[0]!.metadata!.name! });
    expect(log).toMatch(
      /level=fatal msg="Error initializing provider" error="error setting up network profile: error while looking up subnet: .*AuthorizationFailed/,
    );
    const events = await core.listNamespacedEvent({
      namespace: 'kube-system',
      fieldSelector: `involvedObject.name=${crashing[0]!.metadata!.name}`,
    });
    expect(
      events.items
        .filter((e) => e.type === 'Warning')
        .map((e) => e.reason)
        .sort(),
    ).toEqual(['BackOff', 'InitFailed']);
    expect(events.items.find((e) => e.reason === 'InitFailed')?.message).toContain(text);
    expect(await nodeNames(core)).not.toContain('virtual-node-aci-linux');
    expect(
      restarts(
        await until(
          () => connectorPods(core),
          (p) => restarts(p) > restarts(crashing),
        ),
      ),
    ).toBeGreaterThan(restarts(crashing));

    // Reader on the subnet lets it read the (already delegated) subnet, but not join container groups to it.
    await authz(emu).roleAssignments.create(ACI_SUBNET, 'd0000000-0000-4000-8000-000000000001', {
      roleDefinitionId: READER,
      principalId: ADDON_PRINCIPAL,
      principalType: 'ServicePrincipal',
    });
    const joinless = await until(
      () => connectorPods(core),
      (p) => /join\/action/.test(p[0]?.status?.containerStatuses?.[0]?.lastState?.terminated?.message ?? ''),
    );
    expect(joinless[0]!.status!.containerStatuses![0]!.lastState?.terminated?.message).toContain(
      "'Microsoft.Network/virtualNetworks/subnets/join/action'",
    );

    // Network Contributor on the VNet is inherited by the subnet.
    await authz(emu).roleAssignments.create(VNET, 'd0000000-0000-4000-8000-000000000002', {
      roleDefinitionId: NETWORK_CONTRIBUTOR,
      principalId: ADDON_PRINCIPAL,
      principalType: 'ServicePrincipal',
    });
    expect(
      await until(
        () => ready(core),
        (s) => s === 'True',
      ),
    ).toBe('True');
    const recovered = await connectorPods(core);
    expect(running(recovered)).toBe(true);
    expect(restarts(recovered)).toBeGreaterThanOrEqual(3);
  });

  it('healthy → enable: the connector delegates the ACI subnet itself; disable removes node, lease, pod and deployment', async () => {
    const { emu, core, apps } = await open('healthy');
    const network = await armGet(emu, ACI_SUBNET, NETWORK_API);
    expect(network.status).toBe(404);
    const { armRequest } = await import('../helpers/arm.js');
    expect(
      (await armRequest(emu, 'PUT', ACI_SUBNET, NETWORK_API, { properties: { addressPrefix: '10.241.0.0/16' } }))
        .status,
    ).toBe(201);
    const cluster = await aks(emu).managedClusters.get('rg-aks', 'aks-demo');
    const on = await aks(emu).managedClusters.createOrUpdate(
      'rg-aks',
      'aks-demo',
      {
        ...cluster,
        addonProfiles: { aciConnectorLinux: { enabled: true, config: { SubnetName: 'virtual-node-aci' } } },
      },
      { ifMatch: cluster.eTag! },
    );
    const principalId = on.addonProfiles!.aciConnectorLinux!.identity!.objectId!;
    expect(
      restarts(
        await until(
          () => connectorPods(core),
          (p) => restarts(p) >= 1,
        ),
      ),
    ).toBeGreaterThanOrEqual(1);
    await authz(emu).roleAssignments.create(ACI_SUBNET, 'e0000000-0000-4000-8000-000000000001', {
      roleDefinitionId: NETWORK_CONTRIBUTOR,
      principalId,
      principalType: 'ServicePrincipal',
    });
    expect(
      await until(
        () => ready(core),
        (s) => s === 'True',
      ),
    ).toBe('True');
    const delegated = await armGet(emu, ACI_SUBNET, NETWORK_API);
    expect(delegated.body.properties.delegations).toEqual([
      expect.objectContaining({
        name: 'aciDelegation',
        properties: expect.objectContaining({ serviceName: 'Microsoft.ContainerInstance/containerGroups' }),
      }),
    ]);

    const current = await aks(emu).managedClusters.get('rg-aks', 'aks-demo');
    await aks(emu).managedClusters.createOrUpdate(
      'rg-aks',
      'aks-demo',
      { ...current, addonProfiles: { aciConnectorLinux: { enabled: false } } },
      { ifMatch: current.eTag! },
    );
    expect(
      await until(
        () => nodeNames(core),
        (n) => !n.includes('virtual-node-aci-linux'),
      ),
    ).not.toContain('virtual-node-aci-linux');
    expect(await connectorPods(core)).toEqual([]);
    expect((await apps.listNamespacedDeployment({ namespace: 'kube-system' })).items).toEqual([]);
    const leases = (await emu.kube()).store.list('leases', { namespace: 'kube-node-lease' }).items;
    expect(leases.map((l) => l.metadata.name)).not.toContain('virtual-node-aci-linux');
  });

  it('route-table: refuses to delegate a subnet with a route table, with the connector own words', async () => {
    const { emu, core } = await open('route-table');
    const cluster = await aks(emu).managedClusters.get('rg-aks', 'aks-demo');
    const on = await aks(emu).managedClusters.createOrUpdate(
      'rg-aks',
      'aks-demo',
      {
        ...cluster,
        addonProfiles: { aciConnectorLinux: { enabled: true, config: { SubnetName: 'virtual-node-aci' } } },
      },
      { ifMatch: cluster.eTag! },
    );
    await authz(emu).roleAssignments.create(VNET, 'f0000000-0000-4000-8000-000000000001', {
      roleDefinitionId: NETWORK_CONTRIBUTOR,
      principalId: on.addonProfiles!.aciConnectorLinux!.identity!.objectId!,
      principalType: 'ServicePrincipal',
    });
    const pods = await until(
      () => connectorPods(core),
      (p) => /route table/.test(p[0]?.status?.containerStatuses?.[0]?.lastState?.terminated?.message ?? ''),
    );
    expect(pods[0]!.status!.containerStatuses![0]!.lastState?.terminated?.message).toContain(
      `unable to delegate subnet 'virtual-node-aci' to Azure Container Instance since it references the route table '${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/routeTables/hub-udr'`,
    );
    expect(await nodeNames(core)).not.toContain('virtual-node-aci-linux');
  });

  it('subnet-in-use: the delegation it tries is refused by Network, and the connector says so', async () => {
    const { emu, core } = await open('subnet-in-use');
    const cluster = await aks(emu).managedClusters.get('rg-aks', 'aks-demo');
    const on = await aks(emu).managedClusters.createOrUpdate(
      'rg-aks',
      'aks-demo',
      {
        ...cluster,
        addonProfiles: { aciConnectorLinux: { enabled: true, config: { SubnetName: 'virtual-node-aci' } } },
      },
      { ifMatch: cluster.eTag! },
    );
    const principalId = on.addonProfiles!.aciConnectorLinux!.identity!.objectId!;
    await authz(emu).roleAssignments.create(ACI_SUBNET, 'f0000000-0000-4000-8000-000000000002', {
      roleDefinitionId: NETWORK_CONTRIBUTOR,
      principalId,
      principalType: 'ServicePrincipal',
    });
    const message = (p: V1Pod[]) => p[0]?.status?.containerStatuses?.[0]?.lastState?.terminated?.message ?? '';
    const pods = await until(
      () => connectorPods(core),
      (p) => /error creating subnet/.test(message(p)),
    );
    expect(message(pods)).toMatch(
      /error creating subnet: api call to .*: got HTTP response status code 400 error code \\"SubnetDelegationsCannotChangeWhenSubnetUsedByResource\\"/,
    );
    expect((await armGet(emu, ACI_SUBNET, NETWORK_API)).body.properties.delegations ?? []).toEqual([]);
  });

  it('missing-role, subnet deleted: with read access on the VNet it reports the subnet missing, in its own words', async () => {
    const { emu, core } = await open('missing-role');
    const { armRequest } = await import('../helpers/arm.js');
    const removed = await armRequest(emu, 'DELETE', ACI_SUBNET, NETWORK_API);
    expect(removed.status).toBe(202);
    await authz(emu).roleAssignments.create(VNET, 'f0000000-0000-4000-8000-000000000003', {
      roleDefinitionId: NETWORK_CONTRIBUTOR,
      principalId: ADDON_PRINCIPAL,
      principalType: 'ServicePrincipal',
    });
    const message = (p: V1Pod[]) => p[0]?.status?.containerStatuses?.[0]?.lastState?.terminated?.message ?? '';
    const pods = await until(
      () => connectorPods(core),
      (p) => /is not found in vnet/.test(message(p)),
    );
    expect(message(pods)).toContain(
      `subnet '${ACI_SUBNET}' is not found in vnet 'aks-vnet' in resource group 'rg-network' and subnet CIDR is not specified`,
    );
  });

  it('leaves pods on the virtual node Pending (no container groups yet), and finalises their deletion', async () => {
    const { core } = await open('addon-enabled');
    await core.createNamespacedPod({ namespace: 'default', body: virtualNodePod('web', 'nginx:1.27') });
    const bound = await until(
      () => core.readNamespacedPod({ namespace: 'default', name: 'web' }),
      (p) => p.spec?.nodeName !== undefined,
    );
    expect([bound.spec?.nodeName, bound.status?.phase]).toEqual(['virtual-node-aci-linux', 'Pending']);
    await core.deleteNamespacedPod({ namespace: 'default', name: 'web' });
    const left = await until(
      () => core.listNamespacedPod({ namespace: 'default' }).then((l) => l.items),
      (items) => items.length === 0,
    );
    expect(left).toEqual([]);
  });

  it.skipIf(!existsSync(KUBECTL))(
    'kubectl with the listClusterUserCredential kubeconfig shows virtual-node-aci-linux Ready',
    async () => {
      const { emu } = await open('addon-enabled');
      const creds = await aks(emu).managedClusters.listClusterUserCredentials('rg-aks', 'aks-demo');
      const dir = await mkdtemp(join(tmpdir(), 'vnodes-kubectl-'));
      try {
        await writeFile(join(dir, 'config'), Buffer.from(creds.kubeconfigs![0]!.value!));
        const out = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
          execFile(
            KUBECTL,
            ['--kubeconfig', join(dir, 'config'), 'get', 'nodes'],
            { env: { HOME: dir, PATH: process.env.PATH } },
            (err, stdout, stderr) => resolve({ code: err === null ? 0 : 1, stdout, stderr }),
          ),
        );
        expect(out.stderr).toBe('');
        const line = out.stdout.split('\n').find((l) => l.startsWith('virtual-node-aci-linux'));
        expect(line?.split(/\s+/).slice(0, 3)).toEqual(['virtual-node-aci-linux', 'Ready', 'agent']);
        expect(out.stdout).toMatch(/aks-nodepool1-\d{8}-vmss000000\s+Ready/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('emulator: the add-on through cluster updates and deletes', () => {
  const CLUSTER = `${SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-demo`;

  it('a tag PUT (cluster Updating) keeps the virtual node and its connector running', async () => {
    const { emu, core } = await open('addon-enabled', { lroDelayMs: 1000 });
    expect(await ready(core)).toBe('True');
    const cluster = (await armGet(emu, CLUSTER, AKS_API)).body;
    const put = await armRequest(emu, 'PUT', CLUSTER, AKS_API, {
      location: cluster.location,
      tags: { team: 'a' },
      identity: cluster.identity,
      properties: cluster.properties,
    });
    expect(put.status).toBe(200);
    expect(put.body.properties.provisioningState).toBe('Updating');
    // Several reconcile periods pass while the update runs.
    await new Promise((r) => setTimeout(r, 200));
    expect(await nodeNames(core)).toContain('virtual-node-aci-linux');
    expect(running(await connectorPods(core))).toBe(true);
  });

  it('a deleted cluster takes its virtual node along, even when the delete completes at once (lroDelayMs 0)', async () => {
    const { emu, core } = await open('addon-enabled', { lroDelayMs: 0 });
    expect(await ready(core)).toBe('True');
    expect((await armRequest(emu, 'DELETE', CLUSTER, AKS_API)).status).toBe(202);
    expect((await armGet(emu, CLUSTER, AKS_API)).status).toBe(404);
    expect(
      await until(
        () => nodeNames(core),
        (names) => !names.includes('virtual-node-aci-linux'),
      ),
    ).not.toContain('virtual-node-aci-linux');
    expect(await connectorPods(core)).toEqual([]);
  });
});
