// Pods on the virtual node (VN-WL-001: failed pods, classified with §2.1), ACR pulls (VN-ACR-001, in acr.ts) and Windows pods aimed at the Linux-only add-on (VN-WIN-001).
import { classify, fixFor } from '../classify.js';
import { defineCheck } from '../engine.js';
import {
  ANY_NODE,
  clusterNames,
  ev,
  few,
  podsOnVirtualNodes,
  ref,
  result,
  V1,
  VIRTUAL_NODES_DOC,
} from '../doctor-common.js';
import { addonState } from '../../network/addon.js';
import type { Evidence } from '../model.js';
import { acrChecks } from './acr.js';
import { targetsVirtualNode } from './target.js';

const failedPods = defineCheck({
  id: 'pods.failed',
  title: 'No failed pods on the virtual node',
  area: 'pods',
  tags: ['pods', ...ANY_NODE],
  severity: 'P0',
  catalog: ['VN-WL-001'],
  docs: 'https://learn.microsoft.com/azure/container-instances/container-instances-troubleshooting',
  requires: ['stack.detected'],
  facts: ['cluster', 'kubeNodes', 'kubePods', 'kubeEvents'],
  run({ cluster, kubeNodes, kubePods, kubeEvents }) {
    const n = clusterNames(cluster);
    const subnet = addonState(cluster).subnetName;
    const pods = podsOnVirtualNodes(kubePods, kubeNodes);
    const evidence: Evidence[] = [];
    const fixes = new Set<string>();
    const causes: string[] = [];
    let failed = 0;
    for (const pod of pods) {
      const events = kubeEvents.filter(
        (e) =>
          e.type === 'Warning' &&
          e.involvedObject?.name === pod.metadata?.name &&
          e.involvedObject?.namespace === pod.metadata?.namespace,
      );
      const bad =
        pod.status?.phase === 'Failed' ||
        pod.status?.reason === 'ProviderFailed' ||
        events.some((e) => /ProviderCreateFailed|ProviderFailed/.test(e.reason ?? ''));
      if (!bad) continue;
      failed++;
      const texts = [pod.status?.message, ...events.map((e) => e.message)].filter((t): t is string => Boolean(t));
      evidence.push(ev(`pod ${ref(pod)} status.reason`, pod.status?.reason ?? pod.status?.phase));
      for (const t of texts.slice(0, 2)) evidence.push(ev(`pod ${ref(pod)} message`, t));
      const c = texts.map(classify).find(Boolean);
      const names = {
        cluster: n.cluster,
        group: n.group,
        nodeGroup: n.nodeGroup,
        ...(subnet ? { subnet } : {}),
        namespace: pod.metadata?.namespace ?? 'default',
        pod: pod.metadata?.name ?? '<pod>',
      };
      if (c) {
        evidence.push(ev(`pod ${ref(pod)} classifiedAs`, `${c.check} (${c.catalog})`));
        causes.push(`${ref(pod)}: ${c.cause} → ${c.check}`);
        fixes.add(fixFor(c, names));
      } else {
        causes.push(`${ref(pod)}: ${texts[0]?.split('\n')[0] ?? 'failed without a message'}`);
        fixes.add(`kubectl describe pod -n ${names.namespace} ${names.pod}`);
      }
    }
    if (!failed) return result('pass', `${pods.length} pod(s) on the virtual node, none failed.`, evidence);
    return result(
      'fail',
      `${failed} failed pod(s) on the virtual node: ${few(causes, 3)}.`,
      evidence,
      [...fixes].join('; '),
    );
  },
});

const windows = defineCheck({
  id: 'pods.windows',
  title: 'No Windows pods aimed at the add-on',
  area: 'pods',
  tags: ['pods', 'workloads', ...V1],
  severity: 'P2',
  catalog: ['VN-WIN-001'],
  docs: VIRTUAL_NODES_DOC,
  requires: ['addon.enabled'],
  facts: ['kubePods', 'kubeDeployments', 'kubeNodes'],
  run({ kubePods, kubeDeployments, kubeNodes }) {
    const specs = [
      ...podsOnVirtualNodes(kubePods, kubeNodes).map((p) => ({ where: `pod ${ref(p)}`, spec: p.spec })),
      ...kubeDeployments
        .filter((d) => targetsVirtualNode(d.spec?.template?.spec))
        .map((d) => ({ where: `deployment ${ref(d)}`, spec: d.spec?.template?.spec })),
    ];
    const win = specs.filter((s) => s.spec?.nodeSelector?.['kubernetes.io/os'] === 'windows');
    const evidence = win.map((s) => ev(`${s.where} spec.nodeSelector["kubernetes.io/os"]`, 'windows'));
    if (!win.length) return result('pass', 'No Windows workloads aimed at the virtual node.', evidence);
    return result(
      'fail',
      `${few(win.map((s) => s.where))} select Windows, but the add-on runs Linux only.`,
      evidence,
      'Run Windows pods on a Windows node pool (az aks nodepool add --os-type Windows).',
    );
  },
});

/** Pod checks. */
export const podChecks = [failedPods, ...acrChecks, windows];
