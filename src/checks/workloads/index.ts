// Cluster objects that behave differently around the virtual node: DaemonSets that tolerate its taint (VN-DS-001),
// NetworkPolicies over its pods (VN-NP-001), LoadBalancer services with externalTrafficPolicy Local backed by its
// pods (VN-LB-001), HPAs with resource metrics over its pods (VN-HPA-001).
import type { V1DaemonSet, V1LabelSelector, V1Pod } from '@kubernetes/client-node';
import { defineCheck } from '../engine.js';
import { ANY_NODE, ev, few, podsOnVirtualNodes, ref, result, VIRTUAL_NODES_DOC } from '../doctor-common.js';
import type { Evidence } from '../model.js';

/** True when a DaemonSet's pods would land on the virtual node: they tolerate its taint and nothing keeps them off. */
export function daemonSetAtRisk(ds: V1DaemonSet): boolean {
  const spec = ds.spec?.template?.spec;
  const tolerates = (spec?.tolerations ?? []).some(
    (t) => (t.operator === 'Exists' && !t.key) || t.key === 'virtual-kubelet.io/provider',
  );
  if (!tolerates) return false;
  if (
    spec?.nodeSelector &&
    spec.nodeSelector.type !== 'virtual-kubelet' &&
    Object.keys(spec.nodeSelector).some((k) => k !== 'kubernetes.io/os')
  )
    return false;
  const terms = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  const excluded =
    terms.length > 0 &&
    terms.every((t) =>
      (t.matchExpressions ?? []).some(
        (e) =>
          (e.key === 'type' && e.operator === 'NotIn' && (e.values ?? []).includes('virtual-kubelet')) ||
          (e.key === 'kubernetes.azure.com/cluster' && e.operator === 'Exists') ||
          (e.key === 'type' && e.operator === 'In' && !(e.values ?? []).includes('virtual-kubelet')),
      ),
    );
  return !excluded;
}

const daemonSets = defineCheck({
  id: 'workloads.daemonsets',
  title: 'No DaemonSets on the virtual node',
  area: 'workloads',
  tags: ['workloads', ...ANY_NODE],
  severity: 'P1',
  catalog: ['VN-DS-001'],
  docs: VIRTUAL_NODES_DOC,
  facts: ['kubeDaemonSets', 'kubePods', 'kubeNodes'],
  run({ kubeDaemonSets, kubePods, kubeNodes }) {
    const onNode = podsOnVirtualNodes(kubePods, kubeNodes).filter((p) =>
      p.metadata?.ownerReferences?.some((o) => o.kind === 'DaemonSet'),
    );
    const atRisk = kubeDaemonSets.filter(daemonSetAtRisk);
    const evidence: Evidence[] = [
      ...onNode.map((p) =>
        ev(`pod ${ref(p)} ownerReferences`, p.metadata?.ownerReferences?.find((o) => o.kind === 'DaemonSet')?.name),
      ),
      ...atRisk.map((d) =>
        ev(`daemonset ${ref(d)} spec.template.spec.tolerations`, d.spec?.template?.spec?.tolerations),
      ),
    ];
    const fix = (d: string) =>
      `kubectl patch daemonset -n ${d.split('/')[0]} ${d.split('/')[1]} --type merge -p '{"spec":{"template":{"spec":{"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"type","operator":"NotIn","values":["virtual-kubelet"]}]}]}}}}}}}'`;
    const names = atRisk.map((d) => ref(d));
    if (onNode.length)
      return result(
        'fail',
        `DaemonSet pods run on the virtual node: ${few(onNode.map((p) => ref(p)))}. ACI cannot run DaemonSets.`,
        evidence,
        names.map(fix).join('; ') || 'Add a nodeAffinity excluding type=virtual-kubelet to the DaemonSet.',
      );
    if (atRisk.length)
      return result(
        'warn',
        `${few(names)} tolerate every taint and would schedule onto the virtual node.`,
        evidence,
        names.map(fix).join('; '),
      );
    return result('pass', 'No DaemonSet tolerates the virtual node.', evidence);
  },
});

/** Whether a label selector matches labels (matchLabels and the common matchExpressions). */
export function selects(selector: V1LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const value = labels[e.key];
    if (e.operator === 'In' && !(has && (e.values ?? []).includes(value!))) return false;
    if (e.operator === 'NotIn' && has && (e.values ?? []).includes(value!)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const labelsOf = (p: V1Pod) => p.metadata?.labels ?? {};

const networkPolicies = defineCheck({
  id: 'workloads.network-policies',
  title: 'No NetworkPolicies relied on for virtual-node pods',
  area: 'workloads',
  tags: ['workloads', ...ANY_NODE],
  severity: 'P2',
  catalog: ['VN-NP-001'],
  docs: VIRTUAL_NODES_DOC,
  facts: ['kubeNetworkPolicies', 'kubePods', 'kubeNodes'],
  run({ kubeNetworkPolicies, kubePods, kubeNodes }) {
    const pods = podsOnVirtualNodes(kubePods, kubeNodes);
    const hits = kubeNetworkPolicies.filter((np) =>
      pods.some((p) => p.metadata?.namespace === np.metadata?.namespace && selects(np.spec?.podSelector, labelsOf(p))),
    );
    const evidence = hits.map((np) => ev(`networkpolicy ${ref(np)} spec.podSelector`, np.spec?.podSelector ?? {}));
    if (!hits.length) return result('pass', 'No NetworkPolicy selects pods on the virtual node.', evidence);
    return result(
      'warn',
      `${few(hits.map((h) => ref(h)))} select pods on the virtual node, where policies are not enforced.`,
      evidence,
      'Do not rely on these policies for ACI pods; isolate them with an NSG on the ACI subnet.',
    );
  },
});

const loadBalancers = defineCheck({
  id: 'workloads.lb-local',
  title: 'No externalTrafficPolicy Local services backed by the virtual node',
  area: 'workloads',
  tags: ['workloads', ...ANY_NODE],
  severity: 'P2',
  catalog: ['VN-LB-001'],
  docs: VIRTUAL_NODES_DOC,
  facts: ['kubeServices', 'kubePods', 'kubeNodes'],
  run({ kubeServices, kubePods, kubeNodes }) {
    const pods = podsOnVirtualNodes(kubePods, kubeNodes);
    const hits = kubeServices.filter(
      (s) =>
        s.spec?.type === 'LoadBalancer' &&
        s.spec.externalTrafficPolicy === 'Local' &&
        s.spec.selector &&
        pods.some(
          (p) =>
            p.metadata?.namespace === s.metadata?.namespace && selects({ matchLabels: s.spec!.selector! }, labelsOf(p)),
        ),
    );
    const evidence = hits.map((s) => ev(`service ${ref(s)} spec.externalTrafficPolicy`, 'Local'));
    if (!hits.length)
      return result('pass', 'No Local-traffic LoadBalancer service is backed by virtual-node pods.', evidence);
    return result(
      'warn',
      `${few(hits.map((h) => ref(h)))}: no node has local endpoints for ACI pods, so LB health probes fail.`,
      evidence,
      hits
        .map(
          (s) =>
            `kubectl patch service -n ${s.metadata?.namespace} ${s.metadata?.name} -p '{"spec":{"externalTrafficPolicy":"Cluster"}}'`,
        )
        .join('; '),
    );
  },
});

const hpas = defineCheck({
  id: 'workloads.hpa',
  title: 'No resource-metric HPAs over virtual-node pods',
  area: 'workloads',
  tags: ['workloads', ...ANY_NODE],
  severity: 'P2',
  catalog: ['VN-HPA-001'],
  docs: 'https://github.com/virtual-kubelet/azure-aci/issues/567',
  facts: ['kubeHpas', 'kubePods', 'kubeNodes'],
  run({ kubeHpas, kubePods, kubeNodes }) {
    const pods = podsOnVirtualNodes(kubePods, kubeNodes);
    // No metrics means the default, 80% CPU: a resource metric too.
    const resourceMetric = (h: (typeof kubeHpas)[number]) =>
      !h.spec?.metrics?.length || h.spec.metrics.some((m) => m.type === 'Resource' || m.type === 'ContainerResource');
    const hits = kubeHpas.filter(
      (h) =>
        resourceMetric(h) &&
        pods.some(
          (p) =>
            p.metadata?.namespace === h.metadata?.namespace &&
            (p.metadata?.name ?? '').startsWith(`${h.spec?.scaleTargetRef?.name}-`),
        ),
    );
    const evidence = hits.map((h) =>
      ev(`hpa ${ref(h)} spec.scaleTargetRef`, `${h.spec?.scaleTargetRef?.kind}/${h.spec?.scaleTargetRef?.name}`),
    );
    if (!hits.length) return result('pass', 'No HPA scales virtual-node pods on resource metrics.', evidence);
    return result(
      'warn',
      `${few(hits.map((h) => ref(h)))} scale on CPU, which ACI pods may not report (HPA shows <unknown>).`,
      evidence,
      'Scale on external or custom metrics (e.g. KEDA) for virtual-node workloads.',
    );
  },
});

/** Workload checks. */
export const workloadChecks = [daemonSets, networkPolicies, loadBalancers, hpas];
