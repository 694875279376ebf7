// Deployment → ReplicaSets, as the deployment controller does: the ReplicaSet of the current pod template (named
// `<deployment>-<pod-template-hash>`) gets the replicas, older ones are scaled to 0 and kept as revision history.
import { withCondition } from '../kinds.js';
import type { KubeObject } from '../resources.js';
import type { KubeStore } from '../store.js';
import { controllerRef, int, obj, ownedBy, report, templateHash, terminating } from './owned.js';

const REVISION = 'deployment.kubernetes.io/revision';

export function reconcileDeployment(store: KubeStore, d: KubeObject): void {
  if (terminating(d)) return;
  const spec = obj(d.spec);
  const namespace = d.metadata.namespace;
  const template = obj(spec.template);
  const hash = templateHash(template);
  const owned = store.list('replicasets', { namespace }).items.filter((rs) => ownedBy(rs, d));
  const revisionOf = (rs: KubeObject) => Number(rs.metadata.annotations?.[REVISION] ?? 0);
  const latest = Math.max(0, ...owned.map(revisionOf));
  const replicas = int(spec.replicas, 1);
  let current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
  if (current === undefined) {
    const labels = { ...obj(obj(template.metadata).labels), 'pod-template-hash': hash } as Record<string, string>;
    current = store.create('replicasets', {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${d.metadata.name}-${hash}`,
        namespace,
        labels,
        annotations: { [REVISION]: String(latest + 1) },
        ownerReferences: [controllerRef(d)],
      },
      spec: {
        replicas,
        selector: {
          ...obj(spec.selector),
          matchLabels: { ...obj(obj(spec.selector).matchLabels), 'pod-template-hash': hash },
        },
        template: { ...template, metadata: { ...obj(template.metadata), labels } },
      },
    });
    scaled(store, d, current, 0, replicas);
  } else if (int(obj(current.spec).replicas, 1) !== replicas) {
    const from = int(obj(current.spec).replicas, 1);
    current = store.update('replicasets', { ...current, spec: { ...obj(current.spec), replicas } });
    scaled(store, d, current, from, replicas);
  }
  for (const old of owned) {
    const from = int(obj(old.spec).replicas, 1);
    if (old.metadata.uid === current.metadata.uid || from === 0) continue;
    scaled(store, d, store.update('replicasets', { ...old, spec: { ...obj(old.spec), replicas: 0 } }), from, 0);
  }
  const limit = int(spec.revisionHistoryLimit, 10);
  const history = owned
    .filter((rs) => rs.metadata.uid !== current!.metadata.uid)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const old of history.slice(0, Math.max(0, history.length - limit))) {
    if (int(obj(old.status).replicas, 0) === 0) store.delete('replicasets', namespace, old.metadata.name!);
  }
  writeStatus(store, d, current, owned);
}

/** The deployment controller's ScalingReplicaSet event ("Scaled up replica set web-x from 0 to 2"). */
const scaled = (store: KubeStore, d: KubeObject, rs: KubeObject, from: number, to: number): void =>
  report(
    store,
    d,
    'deployment-controller',
    'ScalingReplicaSet',
    `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`,
  );

function writeStatus(store: KubeStore, d: KubeObject, current: KubeObject, owned: KubeObject[]): void {
  const all = [current, ...owned.filter((rs) => rs.metadata.uid !== current.metadata.uid)];
  const sum = (key: string, of: KubeObject[] = all) => of.reduce((n, rs) => n + int(obj(rs.status)[key], 0), 0);
  const want = int(obj(d.spec).replicas, 1);
  const available = sum('availableReplicas');
  const updated = int(obj(current.status).replicas, 0);
  let conditions = withCondition(obj(d.status).conditions, {
    type: 'Available',
    status: available >= want ? 'True' : 'False',
    reason: available >= want ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
    message:
      available >= want ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
  });
  conditions = withCondition(conditions, {
    type: 'Progressing',
    status: 'True',
    reason: updated >= want && available >= want ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
    message:
      updated >= want && available >= want
        ? `ReplicaSet "${current.metadata.name}" has successfully progressed.`
        : `ReplicaSet "${current.metadata.name}" is progressing.`,
  });
  const replicas = sum('replicas');
  store.update(
    'deployments',
    {
      ...d,
      status: {
        observedGeneration: d.metadata.generation,
        replicas,
        updatedReplicas: updated,
        readyReplicas: sum('readyReplicas'),
        availableReplicas: available,
        ...(replicas - available > 0 ? { unavailableReplicas: replicas - available } : {}),
        conditions,
      },
    },
    { subresource: 'status' },
  );
}
