// doctor --fix's plan from results (pure): only safe steps, in order, and never past a blocker it cannot fix.
import type { ManagedCluster } from '@azure/arm-containerservice';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/checks/model.js';
import { planFixes } from '../../src/doctor/fix.js';

const r = (id: string, status: CheckResult['status'], remediation?: string, summary = ''): CheckResult => ({
  id,
  title: id,
  status,
  summary,
  evidence: [],
  ...(remediation ? { remediation } : {}),
});
const enabled: ManagedCluster = {
  location: 'eastus',
  addonProfiles: { aciConnectorLinux: { enabled: true, config: { SubnetName: 'aci' } } },
};
const off: ManagedCluster = { location: 'eastus', addonProfiles: {} };

const CASES: [string, CheckResult[], ManagedCluster, string[], string[]][] = [
  ['nothing wrong', [r('addon.enabled', 'pass')], enabled, [], []],
  [
    'role missing on an enabled add-on',
    [r('identity.subnet-role', 'fail', 'x')],
    enabled,
    ['enable', 'restart-connector'],
    [],
  ],
  [
    'add-on off',
    [r('addon.enabled', 'fail', 'x'), r('stack.detected', 'fail', 'y')],
    off,
    ['enable'],
    ['stack.detected'],
  ],
  [
    'provider first',
    [r('region.provider-registered', 'fail', 'a'), r('addon.enabled', 'fail', 'b')],
    off,
    ['register-provider', 'enable'],
    [],
  ],
  [
    'Contributor on the node resource group removed: re-granted, then the connector restarted',
    [r('identity.exists', 'pass'), r('identity.aci-role', 'fail', 'g')],
    enabled,
    ['grant-aci-role', 'restart-connector'],
    [],
  ],
  [
    'a deleted identity is manual (disable would remove the virtual node)',
    [r('identity.exists', 'fail', 'vnodes disable …, then vnodes enable …'), r('identity.aci-role', 'skip')],
    enabled,
    [],
    ['identity.exists'],
  ],
  ['a delegation warning is enable work', [r('network.subnet-delegation', 'warn', 'd')], enabled, ['enable'], []],
  [
    'kubenet blocks enable',
    [r('addon.enabled', 'fail', 'b'), r('network.plugin', 'fail', 'new cluster')],
    off,
    [],
    ['addon.enabled', 'network.plugin'],
  ],
  [
    'a route table is never automatic',
    [r('network.subnet-route-table', 'fail', 'az network vnet subnet update --remove routeTable')],
    enabled,
    [],
    ['network.subnet-route-table'],
  ],
  [
    'v2 gets no automatic fixes',
    [
      r('stack.detected', 'pass', undefined, 'virtual nodes v2 (the Microsoft.virtualnodes AKS extension).'),
      r('addon.enabled', 'fail', 'b'),
    ],
    off,
    [],
    ['addon.enabled'],
  ],
];

describe('planFixes', () => {
  for (const [name, results, cluster, steps, manual] of CASES)
    it(name, () => {
      const plan = planFixes(results, cluster);
      expect(plan.steps.map((s) => s.id)).toEqual(steps);
      expect(plan.manual.map((m) => m.check)).toEqual(manual);
    });
});
