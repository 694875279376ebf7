// pain.md §3.7, the rules on objects that select virtual-node pods: Services, NetworkPolicies and HPAs. They see the
// workloads that target the virtual node in the same run (files, or one live scope).
import { list, obj, strings } from '../pod.js';
import type { Obj, ObjectRule, TargetedWorkload } from '../types.js';
import { hit } from './util.js';

/** Whether a label selector ({matchLabels, matchExpressions}) selects these labels; an empty selector selects all. */
function selectorMatches(selector: Obj, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(strings(selector.matchLabels))) if (labels[k] !== v) return false;
  for (const e of list(selector.matchExpressions)) {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.hasOwn(labels, key);
    const ok =
      e.operator === 'In'
        ? has && values.includes(labels[key]!)
        : e.operator === 'NotIn'
          ? !has || !values.includes(labels[key]!)
          : e.operator === 'Exists'
            ? has
            : e.operator === 'DoesNotExist'
              ? !has
              : false;
    if (!ok) return false;
  }
  return true;
}

const inNamespace = (o: Obj, w: TargetedWorkload) =>
  (String(obj(o.metadata).namespace ?? '') || 'default') === w.ref.namespace;
const names = (ws: TargetedWorkload[]) => ws.map((w) => `${w.ref.kind}/${w.ref.name}`).join(', ');

export const objectRules: ObjectRule[] = [
  {
    id: 'LNT-SVC-001',
    title: 'LoadBalancer Service with externalTrafficPolicy: Local',
    kinds: ['Service'],
    severity: { v1: 'warn', v2: 'warn' },
    help: 'No VM node has local endpoints for pods on the virtual node, so the load balancer health probes fail and traffic is dropped.',
    evidence: '[inferred]',
    check(o, workloads) {
      const spec = obj(o.spec);
      const selector = strings(spec.selector);
      if (spec.type !== 'LoadBalancer' || spec.externalTrafficPolicy !== 'Local' || Object.keys(selector).length === 0)
        return [];
      const hits = workloads.filter(
        (w) => inNamespace(o, w) && Object.entries(selector).every(([k, v]) => w.labels[k] === v),
      );
      if (hits.length === 0) return [];
      return [
        hit(
          ['spec', 'externalTrafficPolicy'],
          `This LoadBalancer Service selects virtual-node pods (${names(hits)}) with externalTrafficPolicy: Local; no node has local endpoints, so health probes fail.`,
          'Set externalTrafficPolicy: Cluster.',
        ),
      ];
    },
  },
  {
    id: 'LNT-NP-001',
    title: 'NetworkPolicy over virtual-node pods',
    kinds: ['NetworkPolicy'],
    severity: { v1: 'warn', v2: 'warn' },
    help: 'Network policies are not enforced for pods on virtual nodes.',
    evidence: 'AKS virtual-nodes.md; virtual-nodes-v2.md',
    check(o, workloads) {
      const selector = obj(obj(o.spec).podSelector);
      const hits = workloads.filter((w) => inNamespace(o, w) && selectorMatches(selector, w.labels));
      if (hits.length === 0) return [];
      return [
        hit(
          ['spec', 'podSelector'],
          `This NetworkPolicy selects virtual-node pods (${names(hits)}), but network policies are not enforced on virtual nodes.`,
          'Enforce the isolation with NSG rules on the ACI subnet instead.',
        ),
      ];
    },
  },
  {
    id: 'LNT-HPA-001',
    title: 'HPA on resource metrics of a virtual-node workload',
    kinds: ['HorizontalPodAutoscaler'],
    severity: { v1: 'warn' },
    help: 'Resource metrics of ACI pods may be missing on v1 (the HPA shows <unknown> and does not scale).',
    evidence: 'virtual-kubelet/azure-aci#567, #38',
    check(o, workloads) {
      const spec = obj(o.spec);
      const ref = obj(spec.scaleTargetRef);
      const target = workloads.find((w) => inNamespace(o, w) && w.ref.kind === ref.kind && w.ref.name === ref.name);
      if (!target) return [];
      const i = list(spec.metrics).findIndex((m) => m.type === 'Resource' || m.type === 'ContainerResource');
      const path =
        i >= 0
          ? ['spec', 'metrics', i]
          : spec.targetCPUUtilizationPercentage !== undefined
            ? ['spec', 'targetCPUUtilizationPercentage']
            : undefined;
      if (!path) return [];
      return [
        hit(
          path,
          `This HPA scales ${target.ref.kind}/${target.ref.name} (virtual node) on resource metrics, which may be unavailable for ACI pods (<unknown>).`,
          'Scale on an external or custom metric (KEDA, queue length) instead.',
        ),
      ];
    },
  },
];
