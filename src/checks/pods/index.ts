// Pods on the virtual node (VN-WL-001: failed pods, classified with §2.1), ACR images without a pull secret
// (VN-ACR-001) and Windows pods aimed at the Linux-only add-on (VN-WIN-001).
import type { V1Pod, V1PodSpec } from '@kubernetes/client-node';
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
import { imagesOf, isAcrImage, targetsVirtualNode } from './target.js';

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

/** Pods on the virtual node and pod templates aimed at it, with where each came from. */
function targetedSpecs(pods: V1Pod[], others: { ref: string; spec?: V1PodSpec | undefined }[]) {
  return [...pods.map((p) => ({ ref: `pod ${ref(p)}`, spec: p.spec })), ...others];
}

const acrPullSecret = defineCheck({
  id: 'pods.acr-pull-secret',
  title: 'ACR images on the virtual node have a pull secret',
  area: 'pods',
  tags: ['pods', 'workloads', ...ANY_NODE],
  severity: 'P1',
  catalog: ['VN-ACR-001'],
  docs: 'https://learn.microsoft.com/azure/aks/virtual-nodes#known-limitations',
  requires: ['stack.detected'],
  facts: ['stack', 'kubeNodes', 'kubePods', 'kubeDeployments'],
  run({ stack, kubeNodes, kubePods, kubeDeployments }) {
    const onNode = podsOnVirtualNodes(kubePods, kubeNodes);
    const pending = kubePods.filter((p) => !p.spec?.nodeName && targetsVirtualNode(p.spec));
    const templates = kubeDeployments
      .filter((d) => targetsVirtualNode(d.spec?.template?.spec))
      .map((d) => ({ ref: `deployment ${ref(d)}`, spec: d.spec?.template?.spec }));
    const missing: string[] = [];
    const evidence: Evidence[] = [];
    for (const { ref: where, spec } of targetedSpecs([...onNode, ...pending], templates)) {
      const acr = imagesOf(spec).filter(isAcrImage);
      if (acr.length && !(spec?.imagePullSecrets ?? []).length) {
        missing.push(where);
        evidence.push(ev(`${where} image`, acr[0]), ev(`${where} spec.imagePullSecrets`, []));
      }
    }
    if (!missing.length)
      return result('pass', 'Every ACR image aimed at the virtual node has an image pull secret.', evidence);
    const v2 = stack.primary === 'v2-extension' || stack.primary === 'v2-helm';
    return result(
      v2 ? 'warn' : 'fail',
      v2
        ? `${few(missing)} pull from ACR without a secret: v2 needs AcrPull for its identity.`
        : `${few(missing)} pull from ACR without imagePullSecrets: the add-on cannot use the kubelet identity, so ACI answers InaccessibleImage.`,
      evidence,
      v2
        ? 'az role assignment create --assignee <extension identity principalId> --role AcrPull --scope <registry id>'
        : 'kubectl create secret docker-registry acr-pull --docker-server=<registry>.azurecr.io --docker-username=<user> --docker-password=<password>, then add imagePullSecrets: [{name: acr-pull}] to the pod template',
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
export const podChecks = [failedPods, acrPullSecret, windows];
