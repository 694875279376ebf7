// Policy that blocks virtual nodes. policy.azure-deny (VN-POL-001): Azure Policy over the node and VNet resource
// groups — denies the Activity Log shows (fail), enforced definitions whose deny names container groups or subnets
// (warn); assignments, definitions and the Activity Log are optional reads, each skipped with its reason when
// unreadable. policy.in-cluster-deny (VN-POL-002): Gatekeeper constraints (the Azure Policy add-on included) and
// Kyverno policies that deny in the virtual-node namespaces.
import { classify } from '../classify.js';
import { defineCheck } from '../engine.js';
import { clusterNames, ev, few, podsOnVirtualNodes, ref, result } from '../doctor-common.js';
import { covers } from '../identity/grants.js';
import type { Evidence } from '../model.js';
import { policyDenials, potentialDenies } from './azure-rules.js';
import { admissionHits } from './in-cluster-rules.js';

const deny = defineCheck({
  id: 'policy.azure-deny',
  title: 'No Azure Policy denies container groups',
  area: 'policy',
  tags: ['policy'],
  severity: 'P2',
  catalog: ['VN-POL-001'],
  docs: 'https://learn.microsoft.com/azure/governance/policy/troubleshoot/general',
  facts: ['cluster', 'policyAssignments', 'policyDefinitions', 'activityLog', 'kubePods', 'kubeNodes', 'kubeEvents'],
  run({ cluster, policyAssignments, policyDefinitions, activityLog, kubePods, kubeNodes, kubeEvents }) {
    const n = clusterNames(cluster);
    const nodeGroupId = `/subscriptions/${n.subscriptionId}/resourceGroups/${n.nodeGroup}`;
    const seen = [
      ...podsOnVirtualNodes(kubePods, kubeNodes).map((p) => ({ where: `pod ${ref(p)}`, text: p.status?.message })),
      ...kubeEvents.map((e) => ({ where: `event ${e.reason} on ${e.involvedObject?.name}`, text: e.message })),
    ].filter((t) => classify(t.text)?.check === 'policy.azure-deny');
    const logged = policyDenials(activityLog.events);
    const evidence: Evidence[] = [
      ...logged.map((d) =>
        ev('RequestDisallowedByPolicy', { operation: d.operation, time: d.time, policy: d.policy }, d.resourceId),
      ),
      ...seen.map((d) => ev(d.where, d.text)),
    ];
    const skipped = [
      ...(policyAssignments.unreadable ? [`policy assignments (${policyAssignments.unreadable})`] : []),
      ...(policyDefinitions.unreadable && !policyAssignments.unreadable
        ? [`policy definitions (${policyDefinitions.unreadable})`]
        : []),
      ...(activityLog.unreadable ? [`the Activity Log (${activityLog.unreadable})`] : []),
    ];
    for (const s of skipped) evidence.push(ev('skipped', `${s}; optional, so not checked`));
    const denied = [...logged.map((d) => d.resourceId.split('/').pop() ?? d.resourceId), ...seen.map((d) => d.where)];
    if (policyAssignments.unreadable && activityLog.unreadable && !denied.length)
      return result(
        'skip',
        `Azure Policy could not be read: ${skipped.join('; ')}; optional, so not checked.`,
        evidence,
      );
    const exempt = (assignmentId: string) =>
      `az policy exemption create --scope ${nodeGroupId} --policy-assignment ${assignmentId} --exemption-category Waiver -n vnodes`;
    const assignmentOf = (name: string) =>
      policyAssignments.assignments.find((a) => a.displayName === name || a.name === name || a.id === name);
    const note = skipped.length ? ` (not read: ${skipped.map((s) => s.split(' (')[0]).join(', ')})` : '';
    if (denied.length) {
      const ids = [...new Set(logged.map((d) => assignmentOf(d.policy)?.id).filter((id): id is string => !!id))];
      const fix = ids.length
        ? `Exempt the node resource group, or add what the policy requires: ${ids.map(exempt).join('; ')}`
        : `az policy assignment list --scope ${nodeGroupId} --query "[].{name:displayName, policy:policyDefinitionId}" -o table; exempt the node resource group: ${exempt('<id>')}`;
      return result('fail', `Azure Policy denied container groups: ${few(denied)}.${note}`, evidence, fix);
    }
    const potential = potentialDenies(
      policyAssignments.assignments,
      policyDefinitions.definitions,
      policyDefinitions.scopes,
    );
    for (const p of potential)
      evidence.push(
        ev(
          'potentially matching deny',
          {
            assignment: p.assignment.displayName ?? p.assignment.name,
            definition: p.definitionId,
            ...(p.viaSet ? { initiative: p.viaSet } : {}),
            conditions: p.conditions,
          },
          p.assignment.id,
        ),
      );
    if (potential.length) {
      const ids = [...new Set(potential.map((p) => p.assignment.id))];
      return result(
        'warn',
        `${potential.length} enforced deny polic${potential.length === 1 ? 'y' : 'ies'} may refuse ${[...new Set(potential.flatMap((p) => p.mentions))].join(' and ')} (${few(potential.map((p) => p.definitionName))}); none has denied one in 7 days.${note}`,
        evidence,
        `Check the conditions against what the connector creates, and exempt the node resource group if they would match: ${ids.map(exempt).join('; ')}`,
      );
    }
    const over = policyAssignments.assignments.filter(
      (a) => covers(a.scope, nodeGroupId) && a.enforcementMode?.toLowerCase() !== 'donotenforce',
    );
    for (const a of over) evidence.push(ev('policyAssignment', a.displayName ?? a.name, a.id));
    if (over.length)
      return result(
        'pass',
        `${over.length} policy assignment(s) apply to ${n.nodeGroup}; none denies container groups or subnets.${note}`,
        evidence,
      );
    return result('pass', `No enforced policy assignment applies to ${n.nodeGroup}.${note}`, evidence);
  },
});

/** The namespaces virtual-node infrastructure runs in, per stack. */
const INFRA: Record<string, string[]> = {
  'v1-addon': ['kube-system'],
  none: ['kube-system'],
  'helm-vk': ['kube-system'],
  'v2-extension': ['vn-system'],
  'v2-helm': ['vn2'],
};

const inCluster = defineCheck({
  id: 'policy.in-cluster-deny',
  title: 'No in-cluster admission policy blocks virtual-node namespaces',
  area: 'policy',
  tags: ['policy'],
  severity: 'P2',
  catalog: ['VN-POL-002'],
  docs: 'https://learn.microsoft.com/azure/aks/use-azure-policy',
  facts: ['admissionPolicies', 'stack', 'kubePods', 'kubeNodes', 'kubeNamespaces'],
  run({ admissionPolicies, stack, kubePods, kubeNodes, kubeNamespaces }) {
    if (!admissionPolicies.apis.length)
      return result(
        'skip',
        'No Gatekeeper (constraints.gatekeeper.sh) or Kyverno (kyverno.io) API in the cluster: no in-cluster admission policy to check.',
      );
    const workloads = podsOnVirtualNodes(kubePods, kubeNodes).map((p) => p.metadata?.namespace ?? 'default');
    const infra = [...new Set(stack.detected.flatMap((s) => INFRA[s] ?? []))];
    const targets = [...new Set([...(infra.length ? infra : ['kube-system']), ...workloads])];
    const labels = new Map(kubeNamespaces.map((ns) => [ns.metadata?.name ?? '', ns.metadata?.labels ?? {}]));
    const hits = admissionHits(admissionPolicies.objects, targets, (ns) => labels.get(ns) ?? {});
    const evidence = hits.map((h) =>
      ev(`${h.engine} ${h.object.kind} ${h.object.namespace ? `${h.object.namespace}/` : ''}${h.object.name}`, {
        namespaces: h.namespaces,
        match: h.match,
      }),
    );
    if (!hits.length)
      return result(
        'pass',
        `${admissionPolicies.objects.length} constraint(s)/polic(ies) in ${admissionPolicies.apis.join(', ')}; none denies in ${targets.join(', ')}.`,
        [ev('namespaces checked', targets), ev('apis', admissionPolicies.apis)],
      );
    return result(
      'warn',
      `${few(hits.map((h) => `${h.object.kind} ${h.object.name}`))} would deny workloads in ${[...new Set(hits.flatMap((h) => h.namespaces))].join(', ')}; exclude the virtual-node namespaces.`,
      evidence,
      hits.map((h) => h.fix).join('; '),
    );
  },
});

/** Policy checks. */
export const policyChecks = [deny, inCluster];
