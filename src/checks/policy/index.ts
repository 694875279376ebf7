// Azure Policy over the cluster's groups (VN-POL-001). Optional: when assignments cannot be read the check is skip.
import { classify } from '../classify.js';
import { defineCheck } from '../engine.js';
import { clusterNames, ev, few, podsOnVirtualNodes, ref, result } from '../doctor-common.js';
import { covers } from '../identity/grants.js';
import type { Evidence } from '../model.js';

const deny = defineCheck({
  id: 'policy.azure-deny',
  title: 'No Azure Policy denies container groups',
  area: 'policy',
  tags: ['policy'],
  severity: 'P2',
  catalog: ['VN-POL-001'],
  docs: 'https://learn.microsoft.com/azure/governance/policy/troubleshoot/general',
  facts: ['cluster', 'policyAssignments', 'kubePods', 'kubeNodes', 'kubeEvents'],
  run({ cluster, policyAssignments, kubePods, kubeNodes, kubeEvents }) {
    const n = clusterNames(cluster);
    const nodeGroupId = `/subscriptions/${n.subscriptionId}/resourceGroups/${n.nodeGroup}`;
    const denied = [
      ...podsOnVirtualNodes(kubePods, kubeNodes).map((p) => ({ where: `pod ${ref(p)}`, text: p.status?.message })),
      ...kubeEvents.map((e) => ({ where: `event ${e.reason} on ${e.involvedObject?.name}`, text: e.message })),
    ].filter((t) => classify(t.text)?.check === 'policy.azure-deny');
    const evidence: Evidence[] = denied.map((d) => ev(d.where, d.text));
    if (policyAssignments.unreadable && !denied.length)
      return result(
        'skip',
        `Policy assignments could not be read (${policyAssignments.unreadable}); optional, so not checked.`,
        [ev('policyAssignments', policyAssignments.unreadable)],
      );
    const over = policyAssignments.assignments.filter(
      (a) => covers(a.scope, nodeGroupId) && a.enforcementMode?.toLowerCase() !== 'donotenforce',
    );
    for (const a of over) evidence.push(ev('policyAssignment', a.displayName ?? a.name, a.id));
    const fix = `az policy assignment list --scope ${nodeGroupId} --query "[].{name:displayName, policy:policyDefinitionId}" -o table; exempt the node resource group: az policy exemption create --scope ${nodeGroupId} --policy-assignment <id> --exemption-category Waiver -n vnodes`;
    if (denied.length)
      return result('fail', `Azure Policy denied container groups: ${few(denied.map((d) => d.where))}.`, evidence, fix);
    if (over.length)
      return result(
        'pass',
        `${over.length} policy assignment(s) apply to ${n.nodeGroup}; none has denied a container group.`,
        evidence,
      );
    return result('pass', `No enforced policy assignment applies to ${n.nodeGroup}.`, evidence);
  },
});

/** Policy checks. */
export const policyChecks = [deny];
