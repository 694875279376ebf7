// The connector's cluster configuration (VN-DNS-001): its env says which subnet, DNS IP and API server ACI pods get.
import { defineCheck } from '../engine.js';
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
  facts: ['cluster', 'kubeDeployments', 'kubeServices'],
  run({ cluster, kubeDeployments, kubeServices }) {
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
    if (!problems.length)
      return result('pass', 'The connector points at the add-on subnet and the cluster DNS.', evidence);
    return result(
      'fail',
      `${problems.join('; ')}: ACI pods get the wrong network settings.`,
      evidence,
      `Regenerate the connector config: vnodes disable --cluster ${n.cluster} -g ${n.group}, then vnodes enable --cluster ${n.cluster} -g ${n.group}`,
    );
  },
});

/** DNS checks. */
export const dnsChecks = [config];
