// vnodes doctor's policy checks end to end, scenario by scenario: the CLI in-process against the emulator over real
// HTTPS, asserting status, evidence and remediation of policy.azure-deny (VN-POL-001) and policy.in-cluster-deny
// (VN-POL-002); and the emulator's own Azure Policy: a real container group PUT refused with RequestDisallowedByPolicy
// and logged in the Activity Log that doctor then reads.
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { aciClient } from '../helpers/aci.js';
import { armRequest } from '../helpers/arm.js';
import { kubeClient, startEmulated, until, virtualNodePod } from '../helpers/emulated.js';
import { CLUSTER, doctorJson, FAST, type DoctorCheck as Check } from '../helpers/doctor.js';
import { POLICY_CASES } from '../helpers/doctor-cases.js';
import { run } from '../helpers/run-cli.js';

const SUB = '6f0c1f2e-8d3a-4b5c-9e7f-1a2b3c4d5e6f';
const NODE_RG = `/subscriptions/${SUB}/resourceGroups/MC_rg-aks_aks-demo_eastus`;
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function doctor(scenario: string, options: EmulatorOptions = {}) {
  emulator = await startEmulator({ scenario, ...FAST, ...options });
  return { ...(await doctorJson(emulator.env(), ['--only', 'policy'])), emu: emulator };
}

describe('doctor policy checks, scenario by scenario', () => {
  for (const [scenario, expected] of Object.entries(POLICY_CASES)) {
    it(`${scenario}: ${Object.entries(expected)
      .map(([id, s]) => `${id} ${s}`)
      .join(', ')}`, async () => {
      const { check, r } = await doctor(scenario);
      expect(r.stderr).not.toMatch(/internal error/);
      for (const [id, status] of Object.entries(expected)) expect([id, check(id).status]).toEqual([id, status]);
    });
  }
});

describe('doctor policy evidence and fixes', () => {
  it('policy-deny: the Activity Log denial is the evidence, with resource id, operation, time and policy', async () => {
    const { check, r } = await doctor('policy-deny');
    const c = check('policy.azure-deny');
    expect(c.summary).toMatch(/Azure Policy denied container groups: default-probe/);
    const logged = c.evidence.find((e) => e.field === 'RequestDisallowedByPolicy')!;
    expect(logged.source).toBe(`${NODE_RG}/providers/Microsoft.ContainerInstance/containerGroups/default-probe`);
    expect(logged.value).toMatchObject({
      operation: 'Microsoft.ContainerInstance/containerGroups/write',
      policy: 'Deny container groups without the cost-center tag',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(c.remediation).toBe(
      `Exempt the node resource group, or add what the policy requires: az policy exemption create --scope ${NODE_RG} --policy-assignment ${NODE_RG}/providers/Microsoft.Authorization/policyAssignments/deny-aci-public --exemption-category Waiver -n vnodes`,
    );
    expect(r.exitCode).toBe(1);
  });

  it('policy-warn: a deny reached through an initiative parameter is a potentially matching deny, with its conditions', async () => {
    const { check, r, emu } = await doctor('policy-warn');
    const c = check('policy.azure-deny');
    expect(c.summary).toMatch(/1 enforced deny policy may refuse Microsoft\.ContainerInstance\/containerGroups/);
    expect(c.evidence).toContainEqual({
      field: 'potentially matching deny',
      value: {
        assignment: 'Contoso security baseline',
        definition: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/deny-aci-public-ip`,
        initiative: 'Contoso security baseline',
        conditions: [
          { field: 'type', equals: 'Microsoft.ContainerInstance/containerGroups' },
          { field: 'Microsoft.ContainerInstance/containerGroups/ipAddress.type', equals: 'Public' },
        ],
      },
      source: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/contoso-baseline`,
    });
    expect(c.remediation).toMatch(
      /az policy exemption create --scope .*MC_rg-aks_aks-demo_eastus --policy-assignment .*contoso-baseline/,
    );
    expect(r.exitCode).toBe(0);
    // Each definition once, the set and its member in two rounds; the Allowed locations built-in read too.
    const reads = emu.requests.entries.filter((e) => /policy(Set)?Definitions\//i.test(e.path));
    expect(reads.map((e) => e.path.split('/').pop()).sort()).toEqual([
      'contoso-baseline',
      'deny-aci-public-ip',
      'e56962a6-4747-49cd-b67b-bf8b01975c4c',
    ]);
  });

  it('gatekeeper-deny: the constraint that selects kube-system is named with its match and the exact patch', async () => {
    const { check } = await doctor('gatekeeper-deny');
    const c = check('policy.in-cluster-deny');
    expect(c.summary).toMatch(/K8sRequiredLabels pods-must-have-owner would deny workloads in kube-system/);
    expect(c.evidence).toEqual([
      {
        field: 'Gatekeeper K8sRequiredLabels pods-must-have-owner',
        value: {
          namespaces: ['kube-system'],
          match: { kinds: [{ apiGroups: [''], kinds: ['Pod'] }], excludedNamespaces: ['gatekeeper-system'] },
        },
      },
    ]);
    expect(c.remediation).toBe(
      `kubectl patch k8srequiredlabels.constraints.gatekeeper.sh pods-must-have-owner --type json -p '[{"op":"add","path":"/spec/match/excludedNamespaces/-","value":"kube-system"}]'`,
    );
  });

  it('kyverno-enforce: the Enforce ClusterPolicy is named, the Audit one is not, and the patch adds an exclude', async () => {
    const { check } = await doctor('kyverno-enforce');
    const c = check('policy.in-cluster-deny');
    expect(c.evidence.map((e) => e.field)).toEqual(['Kyverno ClusterPolicy require-owner-label']);
    expect(c.remediation).toBe(
      `kubectl patch clusterpolicies.kyverno.io require-owner-label --type json -p '[{"op":"add","path":"/spec/rules/0/exclude/any/-","value":{"resources":{"namespaces":["kube-system"]}}}]'`,
    );
  });

  it('a Reader without policy read: both Azure parts skip with why, never fail or error', async () => {
    const { check, doc } = await doctor('policy-warn', {
      faults: '403:1:GET */policyAssignments;403:1:ActivityLogs_List',
    });
    const c = check('policy.azure-deny');
    expect(c.status).toBe('skip');
    expect(c.summary).toMatch(/missing permission Microsoft\.Authorization\/policyAssignments\/read/);
    expect(c.summary).toMatch(/Activity Log \(missing permission Microsoft\.Insights\/eventtypes\/values\/read\)/);
    expect(doc.checks.filter((x: Check) => x.status === 'fail' || x.status === 'error')).toEqual([]);
  });

  it('an unreadable Activity Log only skips that part: the definitions still warn', async () => {
    const { check } = await doctor('policy-warn', { faults: '403:1:ActivityLogs_List' });
    const c = check('policy.azure-deny');
    expect(c.status).toBe('warn');
    expect(c.summary).toMatch(/\(not read: the Activity Log\)/);
    expect(c.evidence).toContainEqual({
      field: 'skipped',
      value: expect.stringMatching(/^the Activity Log \(missing permission .*\); optional, so not checked$/),
    });
  });
});

describe('the emulator enforces Azure Policy the way Azure does', () => {
  const group = (ipType: 'Public' | 'Private') => ({
    location: 'eastus',
    osType: 'Linux',
    containers: [
      { name: 'web', image: 'nginx:1.27', ports: [{ port: 80 }], resources: { requests: { cpu: 1, memoryInGB: 1.5 } } },
    ],
    ipAddress: { type: ipType, ports: [{ port: 80, protocol: 'TCP' }] },
    ...(ipType === 'Private'
      ? {
          subnetIds: [
            {
              id: `/subscriptions/${SUB}/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/aks-vnet/subnets/virtual-node-aci`,
            },
          ],
        }
      : {}),
  });

  it('a container group the initiative denies is refused with RequestDisallowedByPolicy, logged, and doctor fails on it', async () => {
    emulator = await startEmulator({ scenario: 'policy-warn', lroDelayMs: 10, principalPropagationMs: 0 });
    const aci = aciClient(emulator);
    const refused = await aci.containerGroups
      .beginCreateOrUpdateAndWait('MC_rg-aks_aks-demo_eastus', 'public-web', group('Public'))
      .catch((e: { statusCode?: number; code?: string; message: string }) => e);
    expect(refused).toMatchObject({ statusCode: 403, code: 'RequestDisallowedByPolicy' });
    expect((refused as Error).message).toMatch(
      /^Resource 'public-web' was disallowed by policy\. Policy identifiers: '\[\{"policyAssignment":\{"name":"Contoso security baseline"/,
    );
    const raw = await armRequest(
      emulator,
      'PUT',
      `${NODE_RG}/providers/Microsoft.ContainerInstance/containerGroups/public-web`,
      '2023-05-01',
      { location: 'eastus', properties: group('Public') },
    );
    expect(raw.status).toBe(403);
    expect(raw.body.error.additionalInfo[0]).toMatchObject({
      type: 'PolicyViolation',
      info: {
        policyDefinitionId: `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/deny-aci-public-ip`,
        policyDefinitionEffect: 'deny',
        policyAssignmentName: 'contoso-baseline',
      },
    });
    // A private group in the delegated subnet does not match the rule.
    const allowed = await aci.containerGroups.beginCreateOrUpdateAndWait(
      'MC_rg-aks_aks-demo_eastus',
      'private-web',
      group('Private'),
    );
    expect(allowed.provisioningState).toBe('Succeeded');

    const since = new Date(Date.now() - 3600e3).toISOString();
    const log = await armRequest(
      emulator,
      'GET',
      `/subscriptions/${SUB}/providers/Microsoft.Insights/eventtypes/management/values?$filter=${encodeURIComponent(`eventTimestamp ge '${since}' and resourceGroupName eq 'MC_rg-aks_aks-demo_eastus'`)}`,
      '2015-04-01',
    );
    expect(log.status).toBe(200);
    expect(log.body.value).toHaveLength(2);
    expect(log.body.value[0]).toMatchObject({
      operationName: { value: 'Microsoft.ContainerInstance/containerGroups/write' },
      status: { value: 'Failed' },
      subStatus: { value: 'Forbidden' },
      resourceId: `${NODE_RG}/providers/Microsoft.ContainerInstance/containerGroups/public-web`,
      properties: { statusCode: 'Forbidden', statusMessage: expect.stringMatching(/RequestDisallowedByPolicy/) },
    });
    const bad = await armRequest(
      emulator,
      'GET',
      `/subscriptions/${SUB}/providers/Microsoft.Insights/eventtypes/management/values`,
      '2015-04-01',
    );
    expect(bad.status).toBe(400);

    const r = await run(['doctor', ...CLUSTER, '-o', 'json', '--only', 'policy.azure-deny'], emulator.env());
    const c = r.json().checks[0] as Check;
    expect(c.status).toBe('fail');
    expect(c.evidence[0]).toMatchObject({
      field: 'RequestDisallowedByPolicy',
      value: { policy: 'Contoso security baseline', operation: 'Microsoft.ContainerInstance/containerGroups/write' },
      source: `${NODE_RG}/providers/Microsoft.ContainerInstance/containerGroups/public-web`,
    });
  });

  it('built-in definitions are served at /providers/…, at every subscription, and a missing one is PolicyDefinitionNotFound', async () => {
    emulator = await startEmulator({ scenario: 'healthy' });
    const id = '/providers/Microsoft.Authorization/policyDefinitions/6c112d4e-5bc7-47ae-a041-ea2d9dccd749';
    const builtIn = await armRequest(emulator, 'GET', id, '2023-04-01');
    expect(builtIn.status).toBe(200);
    expect(builtIn.body).toMatchObject({
      id,
      name: '6c112d4e-5bc7-47ae-a041-ea2d9dccd749',
      properties: { displayName: 'Not allowed resource types', policyType: 'BuiltIn' },
    });
    const missing = await armRequest(
      emulator,
      'GET',
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/nope`,
      '2023-04-01',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('PolicyDefinitionNotFound');
  });
});

describe('a deny the emulator makes reaches the pod, the Activity Log and doctor', () => {
  it("a policy created through ARM refuses the provider's container group: the pod fails, doctor names the policy", async () => {
    emulator = await startEmulated({ scenario: 'addon-enabled' });
    const definitionId = `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyDefinitions/no-aci`;
    const put = await armRequest(emulator, 'PUT', definitionId, '2023-04-01', {
      properties: {
        displayName: 'No container instances',
        policyType: 'Custom',
        mode: 'All',
        parameters: { types: { type: 'Array' } },
        policyRule: { if: { field: 'type', in: "[parameters('types')]" }, then: { effect: 'deny' } },
      },
    });
    expect(put.status).toBe(201);
    const assigned = await armRequest(
      emulator,
      'PUT',
      `${NODE_RG}/providers/Microsoft.Authorization/policyAssignments/no-aci`,
      '2022-06-01',
      {
        properties: {
          displayName: 'No container instances in the node group',
          scope: NODE_RG,
          policyDefinitionId: definitionId,
          parameters: { types: { value: ['Microsoft.ContainerInstance/containerGroups'] } },
        },
      },
    );
    expect(assigned.status).toBe(201);
    const core = await kubeClient(emulator);
    await core.createNamespacedPod({ namespace: 'default', body: virtualNodePod('web', 'nginx:1.27') });
    let message = '';
    await until(async () => {
      const pod = await core.readNamespacedPod({ namespace: 'default', name: 'web' });
      message = pod.status?.message ?? '';
      return pod.status?.reason === 'ProviderFailed';
    }, 15_000);
    expect(message).toMatch(
      /^RequestDisallowedByPolicy: .* Resource 'default-web' was disallowed by policy\. Policy identifiers: /,
    );

    const r = await run(
      ['doctor', ...CLUSTER, '-o', 'json', '--only', 'policy', '--only', 'pods.failed'],
      emulator.env(),
    );
    const checks = new Map<string, Check>(r.json().checks.map((c: Check) => [c.id, c]));
    const c = checks.get('policy.azure-deny')!;
    expect(c.status).toBe('fail');
    expect(c.evidence).toContainEqual(
      expect.objectContaining({
        field: 'RequestDisallowedByPolicy',
        value: expect.objectContaining({ policy: 'No container instances in the node group' }),
      }),
    );
    expect(c.evidence).toContainEqual(expect.objectContaining({ field: 'pod default/web' }));
    expect(c.remediation).toMatch(/--policy-assignment .*policyAssignments\/no-aci/);
    expect(checks.get('pods.failed')!.status).toBe('fail');
  });
});
