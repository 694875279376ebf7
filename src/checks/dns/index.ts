// The connector's cluster configuration (VN-DNS-001): its env says which subnet, DNS IP, API server and cluster CIDR ACI
// pods get. AKS writes MASTER_URI as https://<fqdn> (the virtual-node docs add :443) and CLUSTER_CIDR as the node subnet
// (azure-aci's flag.go quotes an add-on's env: MASTER_URI https://…azmk8s.io, CLUSTER_CIDR 10.1.0.0/24, KUBE_DNS_IP).
import type { ManagedCluster } from '@azure/arm-containerservice';
import { defineCheck } from '../engine.js';
import type { NetworkFacts } from '../../network/facts.js';
import { addonState } from '../../network/addon.js';
import { clusterNames, ev, result, V1, VIRTUAL_NODES_DOC } from '../doctor-common.js';
import type { Evidence } from '../model.js';

const config = defineCheck({
  id: 'dns.connector-config',
  title: "The connector's subnet and DNS settings match the cluster",
  area: 'dns',
  tags: ['dns', 'connector', ...V1],
  severity: 'P1',
  catalog: ['VN-DNS-001'],
  docs: VIRTUAL_NODES_DOC,
  requires: ['addon.enabled'],
  facts: ['cluster', 'kubeDeployments', 'kubeServices', 'network'],
  run({ cluster, kubeDeployments, kubeServices, network }) {
    const n = clusterNames(cluster);
    const deploy = kubeDeployments.find(
      (d) => d.metadata?.namespace === 'kube-system' && d.metadata?.name === 'aci-connector-linux',
    );
    if (!deploy) return result('skip', 'No connector deployment to read (see connector.running).');
    const env = new Map(
      (deploy.spec?.template?.spec?.containers ?? []).flatMap((c) => c.env ?? []).map((e) => [e.name, e.value]),
    );
    const src = 'deployment kube-system/aci-connector-linux';
    const evidence: Evidence[] = [];
    const problems: string[] = [];
    const subnet = addonState(cluster).subnetName;
    evidence.push(ev('env.ACI_SUBNET_NAME', env.get('ACI_SUBNET_NAME'), src));
    if (!env.get('ACI_SUBNET_NAME')) problems.push('ACI_SUBNET_NAME is empty');
    else if (subnet && env.get('ACI_SUBNET_NAME')!.toLowerCase() !== subnet.toLowerCase())
      problems.push(`ACI_SUBNET_NAME is ${env.get('ACI_SUBNET_NAME')}, the add-on says ${subnet}`);
    const dnsIp = env.get('KUBE_DNS_IP');
    const kubeDns = kubeServices.find((s) => s.metadata?.namespace === 'kube-system' && s.metadata?.name === 'kube-dns')
      ?.spec?.clusterIP;
    const want = kubeDns ?? cluster.networkProfile?.dnsServiceIP;
    if (dnsIp !== undefined) {
      evidence.push(ev('env.KUBE_DNS_IP', dnsIp, src), ev('kube-dns clusterIP / dnsServiceIP', want));
      if (want && dnsIp !== want) problems.push(`KUBE_DNS_IP is ${dnsIp}, cluster DNS is ${want}`);
    }
    problems.push(...masterUriProblems(env.get('MASTER_URI'), cluster, evidence, src));
    problems.push(...clusterCidrProblems(env.get('CLUSTER_CIDR'), cluster, network, evidence, src));
    if (!problems.length)
      return result('pass', 'The connector points at the add-on subnet, the cluster DNS and the API server.', evidence);
    return result(
      'fail',
      `${problems.join('; ')}: ACI pods get the wrong network settings.`,
      evidence,
      `Regenerate the connector config: vnodes disable --cluster ${n.cluster} -g ${n.group}, then vnodes enable --cluster ${n.cluster} -g ${n.group}`,
    );
  },
});

/** MASTER_URI must name the cluster's API server (public or private FQDN) on 443, as AKS writes it. */
function masterUriProblems(
  value: string | undefined,
  cluster: ManagedCluster,
  evidence: Evidence[],
  src: string,
): string[] {
  const fqdns = [cluster.fqdn, cluster.privateFqdn].filter((f): f is string => Boolean(f));
  if (value === undefined || !fqdns.length) return [];
  evidence.push(ev('env.MASTER_URI', value, src), ev('properties.fqdn / privateFQDN', fqdns, cluster.id));
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const ok =
    url?.protocol === 'https:' &&
    (url.port === '' || url.port === '443') &&
    fqdns.some((f) => f.toLowerCase() === url!.hostname.toLowerCase());
  return ok ? [] : [`MASTER_URI is ${value}, the API server is https://${fqdns[0]}:443`];
}

/**
 * CLUSTER_CIDR must be where pods get their IPs: the node subnet's prefix on Azure CNI (pods take node-subnet IPs, the
 * only plugin the add-on supports), the pod CIDR on kubenet or CNI overlay (pods take podCidr IPs), so the ACI pods'
 * kube-proxy sidecar knows which traffic is in-cluster.
 */
function clusterCidrProblems(
  value: string | undefined,
  cluster: ManagedCluster,
  network: NetworkFacts,
  evidence: Evidence[],
  src: string,
): string[] {
  if (value === undefined) return [];
  const net = cluster.networkProfile;
  const overlay = net?.networkPlugin === 'kubenet' || net?.networkPluginMode === 'overlay';
  let want: string[];
  let field: string;
  if (overlay) {
    want = [...(net?.podCidrs ?? []), ...(net?.podCidr ? [net.podCidr] : [])];
    field = 'networkProfile.podCidr';
  } else {
    const id = network.nodeSubnetId?.toLowerCase();
    const subnet = (network.vnet?.subnets ?? []).find(
      (s) => (id && s.id?.toLowerCase() === id) || (!id && s.name === 'aks-subnet'),
    );
    want = subnet ? [...(subnet.addressPrefixes ?? []), ...(subnet.addressPrefix ? [subnet.addressPrefix] : [])] : [];
    field = `node subnet ${subnet?.name ?? ''} addressPrefix`.trim();
  }
  if (!want.length) return [];
  evidence.push(ev('env.CLUSTER_CIDR', value, src), ev(field, [...new Set(want)]));
  return want.includes(value.trim())
    ? []
    : [`CLUSTER_CIDR is ${value}, the ${overlay ? 'pod CIDR' : 'node subnet'} is ${want[0]}`];
}

/** DNS checks. */
export const dnsChecks = [config];
