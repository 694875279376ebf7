// vnodes doctor end to end, one scenario per case: the CLI in-process against the emulator over real HTTPS, asserting
// each check's status, and the evidence and remediation of the ones the scenario is about.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { aciClient } from '../helpers/aci.js';
import { kubeClient, startEmulated, until } from '../helpers/emulated.js';
import { CLUSTER, doctorJson, evidenceText, FAST, type DoctorCheck as Check } from '../helpers/doctor.js';
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

// scenario → the checks it is about and the status each must have.
const CASES: Record<string, Record<string, string>> = {
  'addon-enabled': {
    'stack.detected': 'pass',
    'addon.enabled': 'pass',
    'identity.exists': 'pass',
    'identity.subnet-role': 'pass',
    'identity.aci-role': 'pass',
    'connector.running': 'pass',
    'connector.init': 'pass',
    'node.ready': 'pass',
    'node.version': 'pass',
    'pods.failed': 'pass',
    'workloads.daemonsets': 'pass',
    'dns.connector-config': 'pass',
    'policy.azure-deny': 'pass',
    'orphans.container-groups': 'pass',
    'stack.kubernetes-configuration-provider': 'skip',
  },
  healthy: { 'stack.detected': 'fail', 'addon.enabled': 'fail', 'connector.running': 'skip', 'node.ready': 'skip' },
  'missing-role': { 'identity.subnet-role': 'fail', 'connector.running': 'fail', 'node.ready': 'fail' },
  'connector-route-table': { 'network.subnet-route-table': 'fail', 'connector.running': 'fail' },
  'connector-subnet-in-use': { 'network.subnet-dedicated': 'fail', 'connector.running': 'fail' },
  'connector-no-subnet': {
    'network.subnet-exists': 'fail',
    'network.subnet-delegation': 'skip',
    'connector.running': 'fail',
    'identity.subnet-role': 'pass',
  },
  'identity-deleted': {
    'identity.exists': 'fail',
    'identity.subnet-role': 'skip',
    'identity.aci-role': 'skip',
    'connector.running': 'fail',
    'node.ready': 'fail',
  },
  'aci-role-missing': { 'identity.exists': 'pass', 'identity.subnet-role': 'pass', 'identity.aci-role': 'fail' },
  'connector-reader-role': { 'identity.subnet-role': 'fail', 'connector.running': 'fail' },
  'connector-sp-expired': {
    'identity.service-principal': 'fail',
    'connector.running': 'fail',
    'node.ready': 'fail',
    'node.stale': 'warn',
  },
  'connector-policy-denied': { 'policy.azure-deny': 'fail', 'connector.running': 'fail' },
  'connector-rp-unregistered': {
    'region.provider-registered': 'fail',
    'region.vnet': 'skip',
    'connector.running': 'fail',
  },
  'connector-panic': { 'connector.running': 'fail' },
  'connector-unclassified': { 'connector.running': 'fail' },
  'failed-pods': {
    'pods.failed': 'fail',
    'pods.acr-pull-secret': 'fail',
    'pods.windows': 'fail',
    'workloads.network-policies': 'warn',
    'workloads.lb-local': 'warn',
    'workloads.hpa': 'warn',
  },
  daemonsets: { 'workloads.daemonsets': 'fail' },
  orphans: { 'orphans.container-groups': 'warn' },
  'connector-drift': { 'dns.connector-config': 'fail', 'node.version': 'warn', 'addon.node-rg-lockdown': 'warn' },
  'v2-extension': {
    'stack.detected': 'pass',
    'stack.kubernetes-configuration-provider': 'pass',
    'connector.v2-pods': 'pass',
    'node.ready': 'pass',
    'connector.running': 'skip',
    'identity.exists': 'skip',
  },
  'v2-extension-broken': { 'stack.kubernetes-configuration-provider': 'fail', 'connector.v2-pods': 'fail' },
  'v2-helm': { 'stack.detected': 'pass', 'node.stale': 'warn', 'connector.v2-pods': 'pass' },
  'helm-vk': { 'stack.detected': 'warn', 'node.ready': 'pass', 'addon.enabled': 'skip' },
  'both-stacks': { 'stack.detected': 'warn' },
  'rp-unregistered': { 'region.provider-registered': 'fail' },
  kubenet: { 'network.plugin': 'fail' },
  'authorized-ip-ranges': { 'network.authorized-ip-ranges': 'fail' },
  'region-without-vnet': { 'region.vnet': 'fail' },
  'no-quota': { 'region.quota-container-groups': 'fail' },
};

describe('vnodes doctor, scenario by scenario', () => {
  for (const [scenario, expected] of Object.entries(CASES)) {
    it(`${scenario}: ${Object.entries(expected)
      .map(([id, s]) => `${id} ${s}`)
      .join(', ')}`, async () => {
      const { r, check, doc } = await doctor(scenario);
      expect(r.stderr).not.toMatch(/internal error/);
      for (const [id, status] of Object.entries(expected)) expect([id, check(id).status]).toEqual([id, status]);
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
});
