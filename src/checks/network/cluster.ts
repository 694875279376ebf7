// Cluster-level network prerequisites, read from the managed cluster alone (catalog VN-NET-*, VN-API-*).
import type { NetworkFacts } from '../../network/facts.js';
import { subnetPrefixes, findSubnet } from '../../network/facts.js';
import { isIpv6 } from '../../network/cidr.js';
import type { AnyCheck } from '../engine.js';
import { ev, names, outcome, VIRTUAL_NODES_DOC, type Outcome, networkCheck } from './common.js';

const NP = 'properties.networkProfile';
const API = 'properties.apiServerAccessProfile';

// kubenet, overlay and BYO CNI give pods addresses the ACI subnet cannot route to; none can be changed to Azure
// CNI node-subnet in place, so the honest fix is a new cluster.
function newClusterFix(facts: NetworkFacts): string {
  const n = names(facts);
  return (
    'Virtual nodes need Azure CNI in node-subnet mode, which this cluster cannot be switched to. Create a cluster ' +
    `with it: az aks create -g ${n.resourceGroup} -n <new-cluster> --network-plugin azure --vnet-subnet-id <node-subnet-id>`
  );
}

// Why the plugin rules virtual nodes out, or undefined when it is Azure CNI in node-subnet mode.
function pluginProblem(plugin: string | undefined, mode: string | undefined): string | undefined {
  switch (plugin?.toLowerCase()) {
    case 'azure':
      return mode?.toLowerCase() === 'overlay'
        ? 'Azure CNI Overlay: pod IPs are not routable from the ACI subnet.'
        : undefined;
    case 'kubenet':
      return 'kubenet: virtual nodes require Azure CNI (pods with VNet IPs).';
    case 'none':
      return 'Bring-your-own CNI (networkPlugin none) is not supported by virtual nodes.';
    default:
      return `Network plugin "${plugin ?? 'not reported'}" is not Azure CNI.`;
  }
}

const plugin = networkCheck({
  id: 'network.plugin',
  title: 'Network plugin is Azure CNI (node subnet)',
  tags: ['network', 'cluster', 'VN-NET-001'],
  docs: VIRTUAL_NODES_DOC,
  run(facts): Outcome {
    const p = facts.cluster.networkProfile;
    const src = facts.cluster.id;
    const evidence = [
      ev(`${NP}.networkPlugin`, p?.networkPlugin, src),
      ev(`${NP}.networkPluginMode`, p?.networkPluginMode, src),
    ];
    const problem = pluginProblem(p?.networkPlugin, p?.networkPluginMode);
    if (problem) return outcome('fail', problem, evidence, newClusterFix(facts));
    const podSubnets = (facts.cluster.agentPoolProfiles ?? []).filter((a) => a.podSubnetID);
    if (podSubnets.length) {
      for (const a of podSubnets)
        evidence.push(ev(`properties.agentPoolProfiles[${a.name}].podSubnetID`, a.podSubnetID, src));
      return outcome(
        'warn',
        'Azure CNI with dynamic pod IP allocation (podSubnetID): not documented for virtual nodes v1.',
        evidence,
        'Run a test pod on the virtual node and check it reaches cluster services; ' +
          'node-subnet Azure CNI is the documented setup.',
      );
    }
    return outcome('pass', 'Azure CNI, node-subnet mode.', evidence);
  },
});

const dataplane = networkCheck({
  id: 'network.dataplane',
  title: 'Network dataplane and policy',
  tags: ['network', 'cluster', 'VN-NET-002'],
  docs: VIRTUAL_NODES_DOC,
  run(facts): Outcome {
    const p = facts.cluster.networkProfile;
    const src = facts.cluster.id;
    const evidence = [
      ev(`${NP}.networkDataplane`, p?.networkDataplane, src),
      ev(`${NP}.networkPolicy`, p?.networkPolicy, src),
    ];
    const notes: string[] = [];
    if (p?.networkDataplane?.toLowerCase() === 'cilium') {
      notes.push('the Cilium dataplane is not documented for virtual nodes v1 (v2 rejects it)');
    }
    const policy = p?.networkPolicy?.toLowerCase();
    if (policy && policy !== 'none') notes.push(`network policy "${p?.networkPolicy}" is not enforced on ACI pods`);
    if (!notes.length)
      return outcome('pass', 'No network policy or dataplane that virtual nodes conflict with.', evidence);
    const summary = `${notes.join('; ')}.`;
    return outcome(
      'warn',
      summary.charAt(0).toUpperCase() + summary.slice(1),
      evidence,
      'Do not rely on NetworkPolicies to isolate pods on the virtual node; check that default-deny policies ' +
        'allow traffic from the ACI subnet.',
    );
  },
});

const ipFamilies = networkCheck({
  id: 'network.ip-families',
  title: 'IPv4 only',
  tags: ['network', 'cluster', 'subnet', 'VN-NET-003'],
  docs: VIRTUAL_NODES_DOC,
  run(facts): Outcome {
    const families = facts.cluster.networkProfile?.ipFamilies ?? [];
    const evidence = [ev(`${NP}.ipFamilies`, families, facts.cluster.id)];
    if (families.some((f) => f.toLowerCase() === 'ipv6')) {
      return outcome(
        'fail',
        'Dual-stack/IPv6 cluster: virtual nodes support IPv4 only.',
        evidence,
        'IP families cannot be changed on an existing cluster; use an IPv4-only cluster ' +
          '(omit --ip-families, or pass IPv4).',
      );
    }
    const subnet = findSubnet(facts);
    const v6 = subnet ? subnetPrefixes(subnet).filter(isIpv6) : [];
    if (subnet && v6.length) {
      evidence.push(ev('properties.addressPrefixes', subnetPrefixes(subnet), subnet.id));
      return outcome(
        'fail',
        `Subnet ${facts.subnetName} has IPv6 prefixes (${v6.join(', ')}); ACI container groups support IPv4 only.`,
        evidence,
        'Use a subnet with only an IPv4 prefix for the virtual node: `vnodes subnet create` with a new --name.',
      );
    }
    return outcome('pass', 'IPv4 only.', evidence);
  },
});

const authorizedIpRanges = networkCheck({
  id: 'network.authorized-ip-ranges',
  title: 'No API server authorized IP ranges',
  tags: ['network', 'cluster', 'VN-API-001'],
  docs: 'https://github.com/Azure/AKS/issues/1522',
  run(facts): Outcome {
    const ranges = facts.cluster.apiServerAccessProfile?.authorizedIPRanges ?? [];
    const evidence = [ev(`${API}.authorizedIPRanges`, ranges, facts.cluster.id)];
    if (!ranges.length) return outcome('pass', 'The API server accepts connections from any address.', evidence);
    const n = names(facts);
    return outcome(
      'fail',
      `The API server only accepts ${ranges.length} authorized range(s). ` +
        "Each ACI pod's kube-proxy sidecar must reach it, " +
        'and container groups connect from ACI subnet egress addresses that are not in the list, so DNS and ClusterIP ' +
        'services break on the virtual node.',
      evidence,
      `az aks update -g ${n.resourceGroup} -n ${n.cluster} --api-server-authorized-ip-ranges ""`,
    );
  },
});

const privateCluster = networkCheck({
  id: 'network.private-cluster',
  title: 'Private cluster / API server VNet integration',
  tags: ['network', 'cluster', 'VN-API-002'],
  docs: VIRTUAL_NODES_DOC,
  run(facts): Outcome {
    const a = facts.cluster.apiServerAccessProfile ?? {};
    const src = facts.cluster.id;
    const evidence = [
      ev(`${API}.enablePrivateCluster`, a.enablePrivateCluster, src),
      ev(`${API}.enableVnetIntegration`, a.enableVnetIntegration, src),
      ev(`${API}.privateDNSZone`, a.privateDNSZone, src),
      ev('properties.privateFQDN', facts.cluster.privateFqdn, src),
    ];
    if (!a.enablePrivateCluster && !a.enableVnetIntegration) {
      return outcome('pass', 'Public API server endpoint.', evidence);
    }
    const n = names(facts);
    const fqdn = facts.cluster.privateFqdn ?? 'the private API server FQDN';
    if (a.enablePrivateCluster && a.privateDNSZone?.toLowerCase() === 'none' && !a.enablePrivateClusterPublicFqdn) {
      return outcome(
        'fail',
        'Private cluster without a private DNS zone: ACI pods do not inherit VNet DNS, ' +
          'so they cannot resolve the API server.',
        evidence,
        `Give ACI pods a name to reach: az aks update -g ${n.resourceGroup} -n ${n.cluster} --enable-public-fqdn`,
      );
    }
    return outcome(
      'warn',
      `Private API server: every ACI pod must resolve ${fqdn} and reach it on TCP 443 from the ACI subnet. ` +
        'Not documented either way for virtual nodes v1; verify with a test pod.',
      evidence,
      `Make sure the cluster's private DNS zone is linked to VNet ${n.vnet} and that no NSG on the ACI subnet ` +
        'blocks TCP 443 to the API server.',
    );
  },
});

/** Checks that read only the managed cluster. */
export const clusterNetworkChecks: AnyCheck[] = [plugin, dataplane, ipFamilies, authorizedIpRanges, privateCluster];
