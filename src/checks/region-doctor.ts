// The region checks doctor runs for the cluster's own region, with today's ids: the ACI provider's registration
// (VN-RP-001), Linux and VNet container groups (VN-REG-001) and quota (VN-QUOTA-001), judged by region/evaluate.ts.
import { defineCheck, type AnyCheck } from './engine.js';
import { ev, result } from './doctor-common.js';

const NAMESPACE = 'Microsoft.ContainerInstance';

const providerRegistered = defineCheck({
  id: 'region.provider-registered',
  title: `${NAMESPACE} resource provider registered`,
  area: 'region',
  tags: ['region', 'provider'],
  severity: 'P0',
  catalog: ['VN-RP-001'],
  docs: 'https://learn.microsoft.com/azure/azure-resource-manager/management/resource-providers-and-types',
  facts: ['aciProvider'],
  run({ aciProvider }) {
    const state = aciProvider.registrationState ?? 'Unknown';
    const evidence = [ev(`providers/${NAMESPACE}.registrationState`, state)];
    if (state.toLowerCase() === 'registered') return result('pass', `${NAMESPACE} is registered.`, evidence);
    return result(
      state.toLowerCase() === 'registering' ? 'warn' : 'fail',
      `${NAMESPACE} is ${state}: ACI calls fail with MissingSubscriptionRegistration until it is Registered.`,
      evidence,
      `az provider register --namespace ${NAMESPACE} --wait (or vnodes doctor --fix)`,
    );
  },
});

/** One of evaluateRegion's results for the cluster's region, as a check of its own. */
function fromReport(id: string, title: string, catalog: string[]): AnyCheck {
  return defineCheck({
    id,
    title,
    area: 'region',
    tags: ['region'],
    severity: id.startsWith('region.quota') ? 'P1' : 'P0',
    catalog,
    docs: 'https://learn.microsoft.com/azure/container-instances/container-instances-region-availability',
    requires: ['region.provider-registered'],
    facts: ['regionReport'],
    run({ regionReport }) {
      const found = regionReport.checks.find((c) => c.id === id);
      if (!found) return result('skip', `Not reported for ${regionReport.location}.`);
      return {
        status: found.status,
        summary: found.summary,
        evidence: found.evidence,
        target: regionReport.location,
        ...(found.remediation ? { remediation: found.remediation } : {}),
      };
    },
  });
}

/** Region checks for the cluster's region. */
export const regionChecks: AnyCheck[] = [
  providerRegistered,
  fromReport('region.aci-linux', 'ACI runs Linux container groups', ['VN-REG-001']),
  fromReport('region.vnet', 'ACI supports VNet (private IP) deployment', ['VN-REG-001']),
  fromReport('region.quota-container-groups', 'Container group quota', ['VN-QUOTA-001']),
  fromReport('region.quota-cores', 'Standard cores quota', ['VN-QUOTA-001']),
];
