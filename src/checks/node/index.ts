// The virtual node (VN-NODE-001): registered, Ready, its lease renewed; the connector version it reports
// (VN-VER-001); and stale virtual nodes left behind (VN-NODE-002).
import type { V1Node } from '@kubernetes/client-node';
import { defineCheck } from '../engine.js';
import { ANY_NODE, ev, few, result, timeMs, V1, VIRTUAL_NODES_DOC, virtualNodes } from '../doctor-common.js';
import { ADDON_NODE, isV2Node } from '../stack/detect.js';
import type { Evidence } from '../model.js';

const LEASE_WARN_MS = 60_000;
const STALE_MS = 10 * 60_000;

const readyCondition = (n: V1Node) => n.status?.conditions?.find((c) => c.type === 'Ready');

const ready = defineCheck({
  id: 'node.ready',
  title: 'The virtual node is registered and Ready',
  area: 'node',
  tags: ['node', ...ANY_NODE],
  severity: 'P0',
  catalog: ['VN-NODE-001'],
  docs: VIRTUAL_NODES_DOC,
  requires: ['stack.detected'],
  facts: ['stack', 'kubeNodes', 'kubeLeases'],
  run({ stack, kubeNodes, kubeLeases }) {
    const nodes = virtualNodes(kubeNodes);
    const v1 = stack.detected.includes('v1-addon');
    const evidence: Evidence[] = [];
    if (v1 && !nodes.some((n) => n.metadata?.name === ADDON_NODE))
      return result(
        'fail',
        `Node ${ADDON_NODE} is not registered: the connector is not running (see connector.running).`,
        [ev('node', ADDON_NODE, 'not found')],
        'Fix what connector.running reports; the node appears once the connector starts.',
      );
    if (!nodes.length)
      return result('fail', 'No virtual node is registered.', [], 'kubectl get nodes -l type=virtual-kubelet');
    const problems: string[] = [];
    let stale = false;
    for (const node of nodes) {
      const name = node.metadata?.name ?? '';
      const c = readyCondition(node);
      evidence.push(ev(`node ${name} conditions[Ready].status`, c?.status, `node ${name}`));
      if (c?.status !== 'True')
        problems.push(
          `${name} is ${c?.status === 'False' ? 'NotReady' : 'Unknown'}${c?.reason ? ` (${c.reason})` : ''}`,
        );
      const lease = kubeLeases.find((l) => l.metadata?.name === name);
      // The lease is the heartbeat (renewed every 10 s); the Ready condition's lastHeartbeatTime moves only every
      // 60 s or on change, so it alone is no measure of staleness.
      const renew = timeMs(lease?.spec?.renewTime);
      if (renew !== undefined) {
        evidence.push(ev(`lease kube-node-lease/${name} spec.renewTime`, new Date(renew).toISOString()));
        if (Date.now() - renew > LEASE_WARN_MS) stale = true;
      }
    }
    if (problems.length)
      return result(
        'fail',
        `${problems.join('; ')}: the virtual node only goes NotReady when the connector stops heart-beating.`,
        evidence,
        'See connector.running; kubectl describe node ' + (nodes[0]?.metadata?.name ?? ADDON_NODE),
      );
    if (stale)
      return result(
        'warn',
        'The virtual node is Ready, but its heartbeat is over a minute old.',
        evidence,
        'kubectl get lease -n kube-node-lease; see connector.running',
      );
    return result('pass', `${few(nodes.map((n) => n.metadata?.name ?? ''))} Ready.`, evidence);
  },
});

/** Connector versions with known bugs (research/pain.md P31, P34). */
export function versionProblem(version: string): string | undefined {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  const below = (a: number, b: number, c: number) =>
    major < a || (major === a && (minor < b || (minor === b && patch < c)));
  if (version === '1.4.6') return '1.4.6 is a known-bad release';
  if (below(1, 3, 1)) return 'before 1.3.1 the node lacks the exclude-from-load-balancer label';
  if (below(1, 4, 5)) return 'before 1.4.5 pods can fail with DuplicateVolumes';
  if (below(1, 4, 16))
    return 'before 1.4.16 container groups race the service association link (ServiceAssociationLinkNotReady)';
  return undefined;
}

const version = defineCheck({
  id: 'node.version',
  title: 'Connector version has no known bug',
  area: 'node',
  tags: ['node', ...V1],
  severity: 'P1',
  catalog: ['VN-VER-001'],
  docs: 'https://github.com/virtual-kubelet/azure-aci/releases',
  requires: ['node.ready'],
  facts: ['kubeNodes'],
  run({ kubeNodes }) {
    const node = kubeNodes.find((n) => n.metadata?.name === ADDON_NODE);
    const kubelet = node?.status?.nodeInfo?.kubeletVersion ?? '';
    const evidence = [ev('status.nodeInfo.kubeletVersion', kubelet, `node ${ADDON_NODE}`)];
    const v = /-vk-azure-aci-v?(\d+\.\d+\.\d+)/.exec(kubelet)?.[1];
    if (!v)
      return result('skip', `The node reports no azure-aci version (kubeletVersion ${kubelet || 'empty'}).`, evidence);
    const problem = versionProblem(v);
    if (problem)
      return result(
        'warn',
        `Connector ${v}: ${problem}.`,
        evidence,
        'AKS rolls add-on versions out progressively; if blocked, see azure-aci docs/DOWNGRADE-README.md.',
      );
    return result('pass', `Connector ${v}.`, evidence);
  },
});

const stale = defineCheck({
  id: 'node.stale',
  title: 'No stale or duplicate virtual nodes',
  area: 'node',
  tags: ['node'],
  severity: 'P2',
  catalog: ['VN-NODE-002'],
  docs: VIRTUAL_NODES_DOC,
  facts: ['kubeNodes', 'kubePods'],
  run({ kubeNodes, kubePods }) {
    const found: string[] = [];
    const evidence: Evidence[] = [];
    for (const node of virtualNodes(kubeNodes)) {
      const name = node.metadata?.name ?? '';
      const c = readyCondition(node);
      const since = timeMs(c?.lastTransitionTime);
      if (c?.status !== 'True' && since !== undefined && Date.now() - since > STALE_MS) {
        found.push(name);
        evidence.push(
          ev(`node ${name} conditions[Ready]`, `${c?.status ?? 'Unknown'} since ${new Date(since).toISOString()}`),
        );
      } else if (isV2Node(node) && !kubePods.some((p) => p.metadata?.name === name)) {
        // A v2 node is named after its StatefulSet pod; scale-down leaves the node looking Ready with no pod.
        found.push(name);
        evidence.push(ev(`node ${name}`, 'no pod of the same name backs it'));
      }
    }
    if (!found.length) return result('pass', 'No stale virtual nodes.', evidence);
    return result(
      'warn',
      `Stale virtual node(s): ${few(found)}.`,
      evidence,
      found.map((n) => `kubectl delete node ${n}`).join('; '),
    );
  },
});

/** Node checks. */
export const nodeChecks = [ready, version, stale];
