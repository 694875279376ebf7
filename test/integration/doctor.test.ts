// vnodes doctor end to end, one scenario per case: the CLI in-process against the emulator over real HTTPS, asserting
// each check's status, and the evidence and remediation of the ones the scenario is about.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { aciClient } from '../helpers/aci.js';
import { kubeClient, startEmulated, until } from '../helpers/emulated.js';
import { CLUSTER, doctorJson, evidenceText, FAST, type DoctorCheck as Check } from '../helpers/doctor.js';
import { DOCTOR_CASES, PROBE_CASES } from '../helpers/doctor-cases.js';
import { run } from '../helpers/run-cli.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

// With `--probe` the connector runs vnodes' provider (as `vnodes emulator start` does), so the probe pod really runs.
// Without it, no provider: it would act on the scenarios' own pods (run the failed ones, delete the orphans).
async function doctor(scenario: string, args: string[] = [], options: EmulatorOptions = {}) {
  const fast = { scenario, ...FAST, ...options };
  emulator = args.includes('--probe') ? await startEmulated(fast) : await startEmulator(fast);
  return { ...(await doctorJson(emulator.env(), args)), emu: emulator };
}

const text = evidenceText;

const NET = '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f/resourceGroups/rg-network/providers/Microsoft.Network';
const CLUSTER_ID =
  '/subscriptions/6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-demo';

// The evidence and remediation of the checks a case is about, asserted on the same run as its statuses.
const EVIDENCE: Record<string, (check: (id: string) => Check) => void> = {
  'addon-enabled': (check) => {
    expect(check('dns.connector-config').evidence).toContainEqual(
      expect.objectContaining({
        field: 'env.MASTER_URI',
        value: 'https://aks-demo-rg-aks-6f0c1f-x7k2m9qd.hcp.eastus.azmk8s.io:443',
      }),
    );
    expect(check('network.vnet-peering').evidence).toEqual([
      { field: 'properties.virtualNetworkPeerings', value: [], source: `${NET}/virtualNetworks/aks-vnet` },
    ]);
  },
  'addon-enabled --cloud AzureChinaCloud': (check) => {
    const c = check('cloud.virtual-nodes');
    expect(c.summary).toMatch(/not offered in AzureChinaCloud/);
    expect(c.evidence).toEqual([{ field: '--cloud', value: 'AzureChinaCloud' }]);
    expect(c.remediation).toMatch(/^Run ACI workloads directly \(az container create\)/);
  },
  'connector-init-failed': (check) => {
    const c = check('connector.init');
    expect(c.summary).toMatch(
      /^init-validation failed: .*VNet config setup failed.*dial tcp 4\.150\.240\.10:443: i\/o timeout/,
    );
    expect(c.evidence).toContainEqual(
      expect.objectContaining({ field: 'initContainerStatuses[init-validation].state', value: 'CrashLoopBackOff' }),
    );
    expect(text(c)).toMatch(/lastState\.terminated\.message/);
    expect(c.remediation).toMatch(/^kubectl logs -n kube-system aci-connector-linux-\S+ -c init-validation$/);
    expect(text(check('connector.running'))).toMatch(/InitFailed.*VNet config setup failed/);
  },
  'v2-acr-pull-missing': (check) => {
    const c = check('pods.acr-pull-identity');
    expect(c.summary).toBe('The extension identity has no AcrPull on contosoapps: pulls without a secret fail.');
    expect(c.evidence).toContainEqual({
      field: 'aksAssignedIdentity.principalId',
      value: '4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f',
    });
    expect(c.evidence).toContainEqual({
      field: 'roleAssignments',
      value: [expect.stringMatching(/^AcrPull at .*registries\/contosotools$/)],
      source: expect.stringMatching(/registries\/contosotools$/),
    });
    expect(c.remediation).toMatch(
      /^az role assignment create --assignee-object-id 4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f --assignee-principal-type ServicePrincipal --role AcrPull --scope \/subscriptions\/.*\/registries\/contosoapps$/,
    );
  },
  'nat-gateway': (check) => {
    const c = check('network.subnet-egress');
    expect(c.summary).toBe('Subnet virtual-node-aci egresses through NAT gateway aks-natgw.');
    expect(c.evidence).toContainEqual({
      field: 'properties.natGateway.id',
      value: `${NET}/natGateways/aks-natgw`,
      source: `${NET}/virtualNetworks/aks-vnet/subnets/virtual-node-aci`,
    });
    expect(c.remediation).toBeUndefined();
  },
  'vnet-missing': (check) => {
    const c = check('network.vnet');
    expect(c.summary).toBe(
      `VNet ${NET.replace('rg-network', 'rg-network-old')}/virtualNetworks/aks-vnet-old was not found.`,
    );
    expect(c.evidence).toContainEqual({
      field: 'properties.agentPoolProfiles[0].vnetSubnetID',
      value: `${NET.replace('rg-network', 'rg-network-old')}/virtualNetworks/aks-vnet-old/subnets/aks-subnet`,
      source: CLUSTER_ID,
    });
    expect(c.remediation).toMatch(/Reader on its resource group/);
  },
  'vnet-settings': (check) => {
    const dns = check('network.vnet-dns');
    expect(dns.summary).toMatch(
      /^The VNet sets DNS servers 10\.240\.0\.4, 10\.240\.0\.5, but container groups do not inherit/,
    );
    expect(dns.evidence).toEqual([
      {
        field: 'properties.dhcpOptions.dnsServers',
        value: ['10.240.0.4', '10.240.0.5'],
        source: `${NET}/virtualNetworks/aks-vnet`,
      },
    ]);
    expect(dns.remediation).toMatch(/spec\.dnsConfig\.nameservers \(10\.240\.0\.4, 10\.240\.0\.5\)/);
    // A Disconnected peering carries no traffic: warn with the state, the sync level and the remote space seen.
    const peering = check('network.vnet-peering');
    expect(peering.summary).toMatch(
      /^The VNet has 1 peering\(s\): peering aks-to-hub to hub-vnet is Disconnected \(the remote side's peering was deleted\)/,
    );
    const vnet = `${NET}/virtualNetworks/aks-vnet`;
    const at = (field: string) => `properties.virtualNetworkPeerings[0].${field}`;
    expect(peering.evidence).toEqual([
      {
        field: at('remoteVirtualNetwork.id'),
        value: expect.stringMatching(/rg-hub\/providers\/Microsoft\.Network\/virtualNetworks\/hub-vnet$/),
        source: vnet,
      },
      { field: at('peeringState'), value: 'Disconnected', source: vnet },
      { field: at('peeringSyncLevel'), value: 'RemoteNotInSync', source: vnet },
      { field: at('remoteAddressSpace.addressPrefixes'), value: ['172.16.0.0/16'], source: vnet },
      { field: 'aciSubnet.addressPrefixes', value: ['10.241.0.0/16'], source: `${vnet}/subnets/virtual-node-aci` },
    ]);
    expect(peering.remediation).toBe(
      'az network vnet peering delete -g rg-network --vnet-name aks-vnet -n aks-to-hub, then create it again on both VNets (az network vnet peering create … --remote-vnet <id>)',
    );
  },
  'subnet-is-node': (check) => {
    const c = check('network.subnet-not-node');
    expect(c.summary).toMatch(
      /^Subnet aks-subnet holds the nodes of pool nodepool1; .*SubnetDelegationsCannotChangeWhenSubnetUsedByResource/,
    );
    expect(c.evidence).toContainEqual({
      field: 'properties.agentPoolProfiles[nodepool1].vnetSubnetID',
      value: `${NET}/virtualNetworks/aks-vnet/subnets/aks-subnet`,
      source: CLUSTER_ID,
    });
    expect(c.remediation).toBe(
      'Use a separate subnet: vnodes subnet create --cluster aks-demo -g rg-aks --name <new-subnet>',
    );
  },
  'network-policy-calico': (check) => {
    const c = check('network.dataplane');
    expect(c.summary).toBe('Network policy "calico" is not enforced on ACI pods.');
    expect(c.evidence).toContainEqual({
      field: 'properties.networkProfile.networkPolicy',
      value: 'calico',
      source: CLUSTER_ID,
    });
    expect(c.remediation).toMatch(/^Do not rely on NetworkPolicies/);
  },
  'aci-subnet-overlaps-services': (check) => {
    const c = check('network.cidr-overlap');
    expect(c.summary).toMatch(/^10\.0\.0\.0\/24 .*service CIDR.*DNS service IP \(10\.0\.0\.10\)/);
    expect(c.evidence).toContainEqual({ field: 'properties.addressPrefixes', value: ['10.0.0.0/24'] });
    expect(c.remediation).toBe(
      'Use a new subnet: vnodes subnet create --cluster aks-demo -g rg-aks --name <new-subnet>',
    );
  },
  'region-without-aci': (check) => {
    const c = check('region.aci-available');
    expect(c.summary).toBe("Azure Container Instances is not offered in eastus, the cluster's region.");
    expect(c.evidence).toEqual([{ field: 'properties.location', value: 'eastus' }]);
    expect(c.remediation).toMatch(/vnodes check-region --all/);
  },
  'region-windows-only': (check) => {
    const c = check('region.aci-linux');
    expect(c.summary).toBe('ACI offers no Linux container groups in eastus.');
    expect(c.evidence).toEqual([
      { field: expect.stringMatching(/\[resourceType=containerGroups,osType=Linux\]$/), value: 0 },
    ]);
    expect(c.remediation).toMatch(/vnodes check-region --all/);
  },
};

describe('vnodes doctor, scenario by scenario', () => {
  for (const [name, expected] of Object.entries(DOCTOR_CASES)) {
    it(`${name}: ${Object.entries(expected)
      .map(([id, s]) => `${id} ${s}`)
      .join(', ')}`, async () => {
      const [scenario, ...args] = name.split(' ');
      const { r, check, doc } = await doctor(scenario!, args);
      expect(r.stderr).not.toMatch(/internal error/);
      for (const [id, status] of Object.entries(expected)) expect([id, check(id).status]).toEqual([id, status]);
      EVIDENCE[name]?.(check);
      expect(doc).toMatchObject({ schemaVersion: 1, kind: 'doctor', cluster: 'aks-demo' });
      const failed = doc.checks.some((c: Check) => c.status === 'fail' || c.status === 'error');
      expect(r.exitCode).toBe(failed ? 1 : 0);
    });
  }
});

describe('vnodes doctor evidence, causes and fixes', () => {
  it('missing-role: the connector log is classified as identity.subnet-role, with the exact fix', async () => {
    const { check, doc } = await doctor('missing-role');
    const connector = check('connector.running');
    expect(connector.summary).toMatch(/CrashLoopBackOff/);
    expect(connector.summary).toMatch(/→ identity\.subnet-role/);
    expect(text(connector)).toMatch(/AuthorizationFailed/);
    expect(text(connector)).toMatch(/identity.subnet-role \(VN-ID-001\)/);
    expect(connector.remediation).toBe(
      'vnodes enable --cluster aks-demo -g rg-aks (grants Network Contributor on the subnet), then kubectl -n kube-system rollout restart deploy/aci-connector-linux',
    );
    const role = check('identity.subnet-role');
    expect(role.catalog).toEqual(['VN-ID-001']);
    expect(role.evidence).toContainEqual({
      field: 'missingActions',
      value: expect.arrayContaining(['Microsoft.Network/virtualNetworks/subnets/read']),
    });
    expect(role.remediation).toMatch(
      /--role "Network Contributor" --scope \/subscriptions\/.*\/subnets\/virtual-node-aci/,
    );
    expect(doc.stack).toMatchObject({ primary: 'v1-addon', detected: ['v1-addon'] });
    expect(doc.counts.fail).toBe(3);
    expect(doc.calls.arm).toBeGreaterThan(5);
    expect(doc.calls.kubernetes).toBeGreaterThan(5);
    expect(typeof doc.durationMs).toBe('number');
  });

  it('identity-deleted: the identity reported but gone, the connector log classified, the exact (manual) fix', async () => {
    const { check } = await doctor('identity-deleted');
    const exists = check('identity.exists');
    expect(exists.summary).toMatch(/aciconnectorlinux-aks-demo was deleted/);
    expect(text(exists)).toContain('userAssignedIdentities/aciconnectorlinux-aks-demo');
    expect(exists.remediation).toMatch(
      /^vnodes disable --cluster aks-demo -g rg-aks, then vnodes enable --cluster aks-demo -g rg-aks/,
    );
    const connector = check('connector.running');
    expect(connector.summary + text(connector)).toMatch(/Identity not found/);
    expect(connector.remediation).toContain('vnodes disable --cluster aks-demo -g rg-aks');
  });

  it('aci-role-missing: no grant over the node resource group, the actions missing, the fix', async () => {
    const { check } = await doctor('aci-role-missing');
    const role = check('identity.aci-role');
    expect(role.summary).toMatch(/cannot read\/write\/delete container groups in MC_rg-aks_aks-demo_eastus/);
    expect(text(role)).toContain('/resourceGroups/MC_rg-aks_aks-demo_eastus');
    expect(text(role)).toContain('Microsoft.ContainerInstance/containerGroups/write');
    expect(role.remediation).toMatch(/^vnodes doctor --cluster aks-demo -g rg-aks --fix/);
    expect(role.remediation).toContain('--role Contributor --scope /subscriptions/');
  });

  it('each connector crash-loop reason routes to its check', async () => {
    const routes: Record<string, RegExp> = {
      'connector-route-table': /→ network\.subnet-route-table/,
      'connector-sp-expired': /→ identity\.service-principal/,
      'connector-rp-unregistered': /→ region\.provider-registered/,
      'connector-panic': /→ connector\.running/,
    };
    for (const [scenario, route] of Object.entries(routes)) {
      const { check } = await doctor(scenario);
      expect(check('connector.running').summary, scenario).toMatch(route);
      await emulator?.close();
      emulator = undefined;
    }
  });

  it('an unclassified connector error is shown verbatim with the command that collects the logs', async () => {
    const { check } = await doctor('connector-unclassified');
    const c = check('connector.running');
    expect(c.summary).toMatch(/cannot reticulate splines/);
    expect(c.remediation).toBe(
      'Collect the full logs: kubectl logs -n kube-system deploy/aci-connector-linux --all-containers --previous',
    );
  });

  it('failed pods carry their real messages and per-cause fixes', async () => {
    const { check } = await doctor('failed-pods');
    const pods = check('pods.failed');
    expect(pods.summary).toMatch(/4 failed pod/);
    expect(text(pods)).toMatch(/InaccessibleImage/);
    expect(text(pods)).toMatch(/pods\.acr-pull-secret \(VN-ACR-001\)/);
    expect(text(pods)).toMatch(/LNT-VOL-001/);
    expect(pods.remediation).toMatch(/kubectl create secret docker-registry/);
    expect(check('pods.acr-pull-secret').evidence).toContainEqual({
      field: 'deployment shop/shop-cart image',
      value: 'contosoacr.azurecr.io/shop/cart:1.4',
    });
  });

  it('orphaned container groups are listed with the delete command, never deleted', async () => {
    const { check, emu } = await doctor('orphans', ['--fix', '--yes']);
    const c = check('orphans.container-groups');
    expect(c.status).toBe('warn');
    expect(c.remediation).toMatch(/az container delete -g MC_rg-aks_aks-demo_eastus -n web-web-5f6a7b8c9-old1 --yes/);
    expect(emu.requests.count({ kind: 'write' })).toBe(0);
  });

  it('a Reader-only identity: checks it cannot read are error naming the permission, or skip, never fail', async () => {
    const { check, r, doc } = await doctor('addon-enabled', [], {
      faults: '403:1:ManagedClusters_ListClusterUserCredentials;403:1:GET */policyAssignments',
    });
    for (const id of ['connector.running', 'node.ready', 'pods.failed', 'workloads.daemonsets'])
      expect([id, check(id).status]).toEqual([id, 'error']);
    expect(check('connector.running').summary).toMatch(
      /missing permission Microsoft\.ContainerService\/managedClusters\/listClusterUserCredential\/action/,
    );
    expect(check('node.version').status).toBe('skip');
    expect(check('identity.subnet-role').status).toBe('pass');
    expect(doc.checks.filter((c: Check) => c.status === 'fail')).toEqual([]);
    expect(r.exitCode).toBe(1);
  });

  it('--only and --skip say what they matched; an unknown name is exit 2 listing the valid ones', async () => {
    const { r, doc } = await doctor('missing-role', [
      '--only',
      'identity',
      '--only',
      'node.ready',
      '--skip',
      'identity.service-principal',
    ]);
    expect(doc.checks.map((c: Check) => c.id)).toEqual([
      'identity.exists',
      'identity.subnet-role',
      'identity.aci-role',
      'node.ready',
    ]);
    expect(r.stderr).toMatch(
      /--only identity: identity\.exists, identity\.subnet-role, identity\.aci-role, identity\.service-principal/,
    );
    const bad = await run(['doctor', ...CLUSTER, '--only', 'identty'], emulator!.env());
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/Unknown check or area: identty/);
    expect(bad.stderr).toMatch(/Valid areas: stack, cloud, region, network/);
  });

  it('human output groups by area with the fix under each problem and one summary line', async () => {
    emulator = await startEmulator({ scenario: 'missing-role', lroDelayMs: 10, connectorReconcileMs: 50 });
    const r = await run(['doctor', ...CLUSTER, '--no-color'], emulator.env());
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^identity\n {2}ok identity\.exists/m);
    // The evidence (ARM ids shortened to type/name) and then the fix, under the problem.
    expect(r.stdout).toMatch(
      /FAIL identity\.subnet-role: .*\n {4}principalId = \S+\n(.*\n)*? {4}fix: vnodes enable --cluster aks-demo -g rg-aks/,
    );
    expect(r.stdout).toMatch(/^ {4}roleAssignment = .* {2}\(roleAssignments\/[\w-]+\)$/m);
    expect(r.stdout).toMatch(/^ {2}skip node\.version: Skipped: needs node\.ready to pass/m);
    expect(r.stdout).toMatch(
      /\d+ passed, \d+ warning\(s\), 3 failed, 0 could not be checked, \d+ skipped · \d+ ARM and \d+ Kubernetes requests/,
    );
  });

  it('not signed in is exit 4; a cluster that does not exist is exit 1 with the fix line', async () => {
    emulator = await startEmulator({ scenario: 'addon-enabled', lroDelayMs: 10 });
    const denied = await run(['doctor', ...CLUSTER], { ...emulator.env(), VNODES_ARM_TOKEN: 'not-the-token' });
    expect(denied.exitCode).toBe(4);
    expect(denied.stderr).toMatch(/401 InvalidAuthenticationToken/);
    const missing = await run(['doctor', '--cluster', 'nope', '-g', 'rg-aks'], emulator.env());
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/fix: Check the cluster name \(--cluster nope\)/);
  });

  it('without a kubeconfig to match, asks for the user credentials with the first reads, not after the cluster GET', async () => {
    // At 100 ms a request, each round of reads ends well after the one before: a request that waited for the
    // cluster GET ends after it, one sent with it ends before anything that needed the cluster.
    const { r, emu } = await doctor('addon-enabled', [], { latencyMs: 100 });
    expect(r.exitCode).toBe(0);
    const order = emu.requests.entries.map((e) => e.operation);
    const credentials = order.indexOf('ManagedClusters_ListClusterUserCredentials');
    expect(credentials).toBeGreaterThanOrEqual(0);
    for (const after of ['VirtualNetworks_Get', 'RoleAssignments_ListForScope', 'Location_ListCapabilities'])
      expect(order.indexOf(after)).toBeGreaterThan(credentials);
  });

  it('--strict makes warnings fail', async () => {
    const { r } = await doctor('addon-enabled', ['--strict']);
    expect(r.exitCode).toBe(1);
  });

  it('--list prints the catalog without Azure', async () => {
    const r = await run(['doctor', '--list', '-o', 'json'], {});
    expect(r.exitCode).toBe(0);
    const rows = r.json().catalog;
    expect(rows.find((x: { id: string }) => x.id === 'identity.subnet-role')).toMatchObject({
      area: 'identity',
      severity: 'P0',
      catalog: ['VN-ID-001'],
    });
  });
});

describe('vnodes doctor --probe (probe.live, VN-PROBE-001)', () => {
  const steps = (c: Check) =>
    Object.fromEntries(
      c.evidence.filter((e) => e.field.startsWith('step.')).map((e) => [e.field.slice(5), String(e.value)]),
    );
  const probePods = async (emu: Emulator) =>
    (await emu.kube()).requests.filter((r) => r.verb === 'create' && r.resource === 'pods').length;

  it('addon-enabled: every step passes, the pod is gone, and its calls count in the run', async () => {
    const { r, check, doc, emu } = await doctor('addon-enabled', ['--probe']);
    for (const [id, status] of Object.entries(PROBE_CASES['addon-enabled --probe']!))
      expect([id, check(id).status]).toEqual([id, status]);
    const probe = check('probe.live');
    expect(probe.status, JSON.stringify(probe)).toBe('pass');
    expect(probe.catalog).toEqual(['VN-PROBE-001']);
    // Under load the probe script may have finished before the first look: Succeeded is as good as Running.
    expect(steps(probe), JSON.stringify(probe.evidence)).toEqual({
      running: expect.stringMatching(/^ok: (Running|Succeeded), container group /),
      dns: 'ok: 10.0.0.1',
      apiserver: expect.stringMatching(/^ok: (200|401|403)$/),
      registry: expect.stringMatching(/^ok: (200|401|403)$/),
      cleanup: expect.stringMatching(/^ok: pod deleted, container group .* gone$/),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const core = await kubeClient(emu);
    expect((await core.listPodForAllNamespaces({ labelSelector: 'vnodes.io/probe' })).items).toEqual([]);
    const plain = await run(['doctor', ...CLUSTER, '-o', 'json'], emu.env());
    expect(doc.calls.kubernetes).toBeGreaterThan(plain.json().calls.kubernetes + 3);
  });

  it('probe-blocked: DNS, the API server and the registry fail from ACI, each with its evidence and the fix', async () => {
    const { r, check } = await doctor('probe-blocked', ['--probe']);
    for (const [id, status] of Object.entries(PROBE_CASES['probe-blocked --probe']!))
      expect([id, check(id).status]).toEqual([id, status]);
    const probe = check('probe.live');
    expect(probe.status).toBe('fail');
    expect(steps(probe)).toMatchObject({
      running: expect.stringMatching(/^ok: /),
      dns: expect.stringMatching(/^fail: /),
      apiserver: 'fail: unreachable',
      registry: 'fail: unreachable',
      cleanup: expect.stringMatching(/^ok: /),
    });
    expect(probe.summary).toMatch(/failed dns .*apiserver .*registry/);
    expect(probe.remediation).toMatch(/authorizedIPRanges/);
    expect(probe.remediation).toMatch(/outbound HTTPS \(443\) from the ACI subnet to mcr\.microsoft\.com/);
    expect(r.exitCode).toBe(1);
  });

  it('probe-pull-backoff: the running step fails with the pull reason, and the pod is still deleted', async () => {
    const { check, emu } = await doctor('probe-pull-backoff', ['--probe']);
    const probe = check('probe.live');
    expect(probe.status).toBe('fail');
    expect(steps(probe).running).toMatch(/^fail: Pending \((ErrImagePull|ImagePullBackOff)/);
    expect(steps(probe).cleanup).toMatch(/^ok: /);
    expect(Object.keys(steps(probe))).toEqual(['running', 'cleanup']);
    const core = await kubeClient(emu);
    expect((await core.listPodForAllNamespaces({ labelSelector: 'vnodes.io/probe' })).items).toEqual([]);
  });

  it('Ctrl-C during the probe: exit 130, and the pod and its container group are gone', async () => {
    const emu = (emulator = await startEmulated({ scenario: 'probe-pull-backoff' }));
    const controller = new AbortController();
    const core = await kubeClient(emu);
    const seen = until(async () => {
      const pods = await core.listPodForAllNamespaces({ labelSelector: 'vnodes.io/probe' });
      if (!pods.items.length) return false;
      controller.abort();
      return true;
    }, 20_000);
    const r = await run(['doctor', ...CLUSTER, '--probe', '-o', 'json'], emu.env(), { signal: controller.signal });
    await seen;
    expect(r.exitCode, r.stderr).toBe(130);
    expect((await core.listPodForAllNamespaces({ labelSelector: 'vnodes.io/probe' })).items).toEqual([]);
    const groups = [];
    for await (const g of aciClient(emu).containerGroups.listByResourceGroup('MC_rg-aks_aks-demo_eastus'))
      groups.push(g.name);
    expect(groups.filter((n) => n?.includes('probe'))).toEqual([]);
  });

  it('without --probe, Ctrl-C cancels the reads in flight: exit 130 during a 30 s Retry-After', async () => {
    const emu = (emulator = await startEmulator({ scenario: 'addon-enabled', ...FAST, faults: '429/30:x1' }));
    const controller = new AbortController();
    const seen = until(() => emu.requests.count({ status: 429 }) === 1, 15_000).then(() => controller.abort());
    const t0 = performance.now();
    const r = await run(['doctor', ...CLUSTER, '-o', 'json'], emu.env(), { signal: controller.signal });
    await seen;
    expect(r.exitCode, r.stderr).toBe(130);
    // Bounded generously: the wait would have been 30 s.
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('missing-role: the node is not Ready, so the probe is skipped naming node.ready and creates nothing', async () => {
    const { check, emu } = await doctor('missing-role', ['--probe']);
    const probe = check('probe.live');
    expect(probe.status).toBe('skip');
    expect(probe.evidence).toEqual([{ field: 'requires', value: 'node.ready' }]);
    expect(await probePods(emu)).toBe(0);
  });

  it('without --probe it is listed and skipped, opt-in; --probe --dry-run shows the pod and creates none', async () => {
    const plain = await doctor('addon-enabled');
    expect(plain.check('probe.live')).toMatchObject({
      status: 'skip',
      summary: expect.stringMatching(/opt-in: --probe/),
    });
    const dry = await run(['doctor', ...CLUSTER, '--probe', '--dry-run', '-o', 'json'], plain.emu.env());
    const probe = dry.json().checks.find((c: Check) => c.id === 'probe.live');
    expect(probe.status).toBe('skip');
    expect(probe.summary).toMatch(
      /^Dry run: would create pod default\/vnodes-probe-<run-id> on virtual-node-aci-linux/,
    );
    const pod = probe.evidence[0].value;
    expect(pod.spec).toMatchObject({ restartPolicy: 'Never', nodeSelector: { type: 'virtual-kubelet' } });
    expect(await probePods(plain.emu)).toBe(0);
    const list = await run(['doctor', '--list', '-o', 'json']);
    expect(list.json().catalog.map((c: { id: string }) => c.id)).toContain('probe.live');
  });

  it('--probe-image and --probe-registry reach the probe pod; a bad value, or either without --probe, is exit 2', async () => {
    emulator = await startEmulator({ scenario: 'addon-enabled', ...FAST });
    const env = emulator.env();
    const flags = ['--probe', '--dry-run', '--probe-image', 'myacr.azurecr.io/tools/probe:1', '--probe-registry'];
    const dry = await doctorJson(env, [...flags, 'https://MyACR.azurecr.io/']);
    const pod = dry.check('probe.live').evidence[0]!.value as { spec: { containers: { image: string }[] } };
    expect(pod.spec.containers[0]!.image).toBe('myacr.azurecr.io/tools/probe:1');
    expect(JSON.stringify(pod)).toContain('myacr.azurecr.io');
    const bad = await run(['doctor', ...CLUSTER, ...flags, 'not a host'], env);
    expect([bad.exitCode, bad.stderr]).toEqual([
      2,
      expect.stringMatching(/--probe-registry "not a host" is not a registry host/),
    ]);
    const alone = await run(['doctor', ...CLUSTER, '--probe-registry', 'mcr.microsoft.com'], env);
    expect([alone.exitCode, alone.stderr]).toEqual([
      2,
      expect.stringMatching(/--probe-registry only applies to --probe/),
    ]);
    const empty = await run(['doctor', ...CLUSTER, '--probe', '--probe-image', ' '], env);
    expect([empty.exitCode, empty.stderr]).toEqual([2, expect.stringMatching(/--probe-image is empty/)]);
  });
});
