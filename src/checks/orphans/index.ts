// Container groups the connector left behind (VN-ORPH-001): tagged with a virtual node and a pod that no longer
// exists. They keep billing; deleting them is the user's call, so the fix is a command, never automatic.
import { defineCheck } from '../engine.js';
import { clusterNames, ev, few, result, VIRTUAL_NODES_DOC } from '../doctor-common.js';

const tag = (tags: Record<string, string> | undefined, key: string) =>
  Object.entries(tags ?? {}).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];

const orphans = defineCheck({
  id: 'orphans.container-groups',
  title: 'No orphaned container groups',
  area: 'orphans',
  tags: ['orphans', 'cost'],
  severity: 'P2',
  catalog: ['VN-ORPH-001'],
  docs: VIRTUAL_NODES_DOC,
  requires: ['region.provider-registered'],
  facts: ['cluster', 'containerGroups', 'kubePods'],
  run({ cluster, containerGroups, kubePods }) {
    const n = clusterNames(cluster);
    const pods = new Map(kubePods.map((p) => [`${p.metadata?.namespace}/${p.metadata?.name}`, p]));
    const ours = containerGroups.filter((g) => tag(g.tags, 'NodeName'));
    // By namespace and name (the group name is `<namespace>-<pod>`): a pod re-created under the same name reuses it.
    const orphaned = ours.filter((g) => !pods.has(`${tag(g.tags, 'Namespace')}/${tag(g.tags, 'PodName')}`));
    const evidence = orphaned.map((g) =>
      ev(
        'tags',
        `NodeName=${tag(g.tags, 'NodeName')} Namespace=${tag(g.tags, 'Namespace')} PodName=${tag(g.tags, 'PodName')}`,
        g.id,
      ),
    );
    if (!orphaned.length)
      return result('pass', `${ours.length} container group(s) from virtual nodes, each with its pod.`, evidence);
    return result(
      'warn',
      `${orphaned.length} container group(s) in ${n.nodeGroup} have no pod any more and keep billing: ${few(orphaned.map((g) => g.name ?? '?'))}.`,
      evidence,
      orphaned.map((g) => `az container delete -g ${n.nodeGroup} -n ${g.name} --yes`).join('; '),
    );
  },
});

/** Orphan checks. */
export const orphanChecks = [orphans];
