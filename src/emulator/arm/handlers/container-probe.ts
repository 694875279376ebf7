// The emulated network as vnodes' probe container sees it (aci/probe.ts): the cluster whose node resource group holds
// the group (authorized IP ranges, service CIDR), the group's subnet and that subnet's NSG (outbound rules), and the
// registry the probe was asked to reach (its VNODES_PROBE_REGISTRY variable).
import { firstServiceIp, nsgOutbound, type ProbeNetwork } from '../aci/probe.js';
import { subnetIdsOf } from '../aci/capacity.js';
import type { HandlerContext } from '../handler.js';
import type { Json, StoredResource } from '../store.js';
import { jsonList, jsonObject, propertiesOf } from '../context.js';

const CLUSTER_TYPE = 'Microsoft.ContainerService/managedClusters';

function clusterOf(hctx: HandlerContext, group: StoredResource): Json | undefined {
  const rg = /\/resourceGroups\/([^/]+)/i.exec(group.id)?.[1]?.toLowerCase();
  const sub = /^\/subscriptions\/[^/]+/i.exec(group.id)?.[0] ?? '';
  return hctx.store
    .list(CLUSTER_TYPE, sub)
    .find((c) => String(propertiesOf(c.body).nodeResourceGroup ?? '').toLowerCase() === rg)?.body;
}

/** What the probe in container `name` of `group` meets. */
export function probeNetwork(hctx: HandlerContext, group: StoredResource, name: string): ProbeNetwork {
  const cluster = propertiesOf(clusterOf(hctx, group));
  const network = jsonObject(cluster.networkProfile) ?? {};
  const access = jsonObject(cluster.apiServerAccessProfile) ?? {};
  const container = jsonList(propertiesOf(group.body).containers).find((c) => c.name === name);
  const env = jsonList(propertiesOf(container).environmentVariables);
  const registry = String(env.find((e) => e.name === 'VNODES_PROBE_REGISTRY')?.value ?? 'mcr.microsoft.com');
  const nsgs = subnetIdsOf(group.body).flatMap((id) => {
    const nsgId = jsonObject(propertiesOf(hctx.store.get(id)?.body).networkSecurityGroup)?.id;
    const nsg = typeof nsgId === 'string' ? hctx.store.get(nsgId) : undefined;
    return nsg === undefined ? [] : [nsgOutbound(jsonList(propertiesOf(nsg.body).securityRules).map(propertiesOf))];
  });
  return {
    kubernetesIp: firstServiceIp(String(network.serviceCidr ?? '10.0.0.0/16')),
    authorizedIpRanges: Array.isArray(access.authorizedIPRanges) && access.authorizedIPRanges.length > 0,
    internetDenied: nsgs.some((n) => n.internetDenied),
    allDenied: nsgs.some((n) => n.allDenied),
    registry,
  };
}
