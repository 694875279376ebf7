// What the doctor end-to-end tests expect, scenario by scenario, as data: test/unit/doctor-coverage.test.ts checks it
// against doctor's registry, so every check has a scenario where it fails (or warns) and one where it passes, or an
// exemption that says why and which test covers it instead. A new check without rows fails that test.

/** Case name (a scenario, then any doctor flags: `addon-enabled --cloud AzureChinaCloud`) → check id → status. */
export type Cases = Record<string, Record<string, string>>;

/** Full `vnodes doctor -o json` runs, one per case (test/integration/doctor.test.ts). */
export const DOCTOR_CASES: Cases = {
  // The healthy add-on: every check's status, the baseline the broken scenarios differ from.
  'addon-enabled': {
    'stack.detected': 'pass',
    'stack.kubernetes-configuration-provider': 'skip',
    'cloud.virtual-nodes': 'pass',
    'region.provider-registered': 'pass',
    'region.aci-available': 'pass',
    'region.aci-linux': 'pass',
    'region.vnet': 'pass',
    'region.gpu': 'skip',
    'region.quota-container-groups': 'pass',
    'region.quota-cores': 'pass',
    'network.plugin': 'pass',
    'network.dataplane': 'pass',
    'network.ip-families': 'pass',
    'network.authorized-ip-ranges': 'pass',
    'network.private-cluster': 'pass',
    'network.vnet': 'pass',
    'network.vnet-dns': 'pass',
    'network.vnet-peering': 'pass',
    'network.subnet-exists': 'pass',
    'network.subnet-not-node': 'pass',
    'network.subnet-dedicated': 'pass',
    'network.subnet-route-table': 'pass',
    'network.subnet-delegation': 'pass',
    'network.subnet-size': 'pass',
    'network.subnet-egress': 'warn',
    'network.subnet-nsg': 'pass',
    'network.cidr-valid': 'skip',
    'network.cidr-in-address-space': 'pass',
    'network.cidr-overlap': 'pass',
    'network.cidr-subnet-match': 'skip',
    'network.subnet-free-range': 'skip',
    'addon.enabled': 'pass',
    'addon.node-rg-lockdown': 'pass',
    'identity.exists': 'pass',
    'identity.subnet-role': 'pass',
    'identity.aci-role': 'pass',
    'identity.service-principal': 'pass',
    'connector.running': 'pass',
    'connector.init': 'pass',
    'connector.v2-pods': 'skip',
    'node.ready': 'pass',
    'node.version': 'pass',
    'node.stale': 'pass',
    'pods.failed': 'pass',
    'pods.acr-pull-secret': 'pass',
    'pods.acr-network': 'pass',
    'pods.acr-pull-identity': 'skip',
    'pods.windows': 'pass',
    'workloads.daemonsets': 'pass',
    'workloads.network-policies': 'pass',
    'workloads.lb-local': 'pass',
    'workloads.hpa': 'pass',
    'dns.connector-config': 'pass',
    'policy.azure-deny': 'pass',
    'policy.in-cluster-deny': 'skip',
    'orphans.container-groups': 'pass',
    'probe.live': 'skip',
  },
  'addon-enabled --cloud AzureChinaCloud': { 'cloud.virtual-nodes': 'fail', 'region.provider-registered': 'pass' },
  healthy: { 'stack.detected': 'fail', 'addon.enabled': 'fail', 'connector.running': 'skip', 'node.ready': 'skip' },
  'missing-role': { 'identity.subnet-role': 'fail', 'connector.running': 'fail', 'node.ready': 'fail' },
  'connector-route-table': { 'network.subnet-route-table': 'fail', 'connector.running': 'fail' },
  'connector-subnet-in-use': {
    'network.subnet-dedicated': 'fail',
    'network.subnet-delegation': 'warn',
    'connector.running': 'fail',
  },
  'aci-subnet-small': { 'network.subnet-size': 'warn' },
  'dual-stack': { 'network.ip-families': 'fail' },
  'private-cluster': { 'network.private-cluster': 'warn' },
  'connector-no-subnet': {
    'network.subnet-exists': 'fail',
    'network.subnet-delegation': 'skip',
    'connector.running': 'fail',
    'identity.subnet-role': 'pass',
  },
  'connector-init-failed': { 'connector.init': 'fail', 'connector.running': 'fail', 'node.ready': 'fail' },
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
    'pods.acr-pull-identity': 'pass',
  },
  'v2-acr-pull-missing': { 'pods.acr-pull-identity': 'warn', 'pods.acr-network': 'pass', 'connector.v2-pods': 'pass' },
  'v2-extension-broken': { 'stack.kubernetes-configuration-provider': 'fail', 'connector.v2-pods': 'fail' },
  'v2-helm': { 'stack.detected': 'pass', 'node.stale': 'warn', 'connector.v2-pods': 'pass' },
  'helm-vk': { 'stack.detected': 'warn', 'node.ready': 'pass', 'addon.enabled': 'skip' },
  'both-stacks': { 'stack.detected': 'warn' },
  'rp-unregistered': { 'region.provider-registered': 'fail' },
  'region-without-aci': { 'region.aci-available': 'fail', 'region.aci-linux': 'skip', 'region.vnet': 'skip' },
  'region-windows-only': { 'region.aci-available': 'pass', 'region.aci-linux': 'fail' },
  kubenet: { 'network.plugin': 'fail' },
  'authorized-ip-ranges': { 'network.authorized-ip-ranges': 'fail' },
  'region-without-vnet': { 'region.vnet': 'fail' },
  'no-quota': { 'region.quota-container-groups': 'fail', 'region.quota-cores': 'fail' },
  'nat-gateway': { 'network.subnet-egress': 'pass', 'connector.running': 'pass' },
  'vnet-missing': { 'network.vnet': 'fail', 'network.vnet-dns': 'skip', 'network.subnet-exists': 'skip' },
  'vnet-settings': { 'network.vnet-dns': 'warn', 'network.vnet-peering': 'warn', 'network.vnet': 'pass' },
  'subnet-is-node': { 'network.subnet-not-node': 'fail', 'network.subnet-dedicated': 'fail' },
  'network-policy-calico': { 'network.dataplane': 'warn', 'network.plugin': 'pass' },
  'aci-subnet-overlaps-services': { 'network.cidr-overlap': 'fail', 'network.cidr-in-address-space': 'pass' },
};

/** `vnodes doctor --only policy` per scenario (test/integration/doctor-policy.test.ts). */
export const POLICY_CASES: Cases = {
  healthy: { 'policy.azure-deny': 'pass', 'policy.in-cluster-deny': 'skip' },
  'addon-enabled': { 'policy.azure-deny': 'pass', 'policy.in-cluster-deny': 'skip' },
  'policy-deny': { 'policy.azure-deny': 'fail' },
  'policy-warn': { 'policy.azure-deny': 'warn', 'policy.in-cluster-deny': 'pass' },
  'gatekeeper-deny': { 'policy.azure-deny': 'pass', 'policy.in-cluster-deny': 'warn' },
  'kyverno-enforce': { 'policy.in-cluster-deny': 'warn' },
};

/** Full doctor runs of test/integration/doctor-registry.test.ts, each asserted inside its evidence test. */
export const REGISTRY_CASES: Cases = {
  'acr-private': { 'pods.acr-pull-secret': 'pass', 'pods.acr-network': 'fail' },
  'acr-bad-secret': { 'pods.acr-pull-secret': 'fail', 'pods.acr-network': 'pass' },
  'connector-stale-config': { 'dns.connector-config': 'fail' },
  'sp-expired': { 'identity.service-principal': 'fail' },
  'sp-expiring': { 'identity.service-principal': 'warn' },
  'sp-graph-denied': { 'identity.service-principal': 'skip' },
};

/** `vnodes doctor --probe` runs (test/integration/doctor.test.ts, the --probe block), asserted inside those tests. */
export const PROBE_CASES: Cases = {
  'addon-enabled --probe': { 'probe.live': 'pass' },
  'probe-blocked --probe': { 'probe.live': 'fail', 'network.subnet-nsg': 'warn' },
};

/** A check with no failing or no passing doctor row, why, and the test that covers the missing side instead. */
export interface Exemption {
  missing: 'fail' | 'pass' | 'both';
  reason: string;
  /** A test file (from the repository root) that names the check and exercises the missing side. */
  coveredBy: string;
}

export const EXEMPT: Record<string, Exemption> = {
  'network.cidr-valid': {
    missing: 'both',
    reason: 'input-only: judges --cidr, which doctor does not take (check-network and subnet create do)',
    coveredBy: 'test/unit/network-checks.test.ts',
  },
  'network.cidr-subnet-match': {
    missing: 'both',
    reason: 'input-only: compares --cidr with an existing subnet; doctor takes no --cidr',
    coveredBy: 'test/integration/check-network.test.ts',
  },
  'network.subnet-free-range': {
    missing: 'both',
    reason: 'applies only before the subnet exists, with --subnet-name/--prefix-length (check-network)',
    coveredBy: 'test/integration/check-network.test.ts',
  },
  'network.cidr-in-address-space': {
    missing: 'fail',
    reason:
      'an existing subnet always lies inside its VNet (Network refuses one outside with NetcfgSubnetRangeOutsideVnet, as the emulator does), so ' +
      'only a --cidr can fail it, and doctor takes none',
    coveredBy: 'test/integration/check-network.test.ts',
  },
  'region.pod-size': {
    missing: 'both',
    reason: 'input-only: needs the pod size (--cpu/--memory) that check-region takes',
    coveredBy: 'test/integration/check-region.test.ts',
  },
  'region.gpu': {
    missing: 'both',
    reason: 'ACI GPU was retired on 2025-07-14: the check only ever skips, explaining why',
    coveredBy: 'test/unit/region-evaluate.test.ts',
  },
};
