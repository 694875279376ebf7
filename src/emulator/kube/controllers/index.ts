// Small workload controllers, so that what `kubectl apply` creates gets pods as in a real cluster: Deployment →
// ReplicaSet → Pods, StatefulSet → Pods, DaemonSet → a Pod per fitting node, Job → Pods to completion, and garbage
// collection of what an owner controlled when it is deleted. Like the scheduler, they run one pass over every
// workload after any change (coalesced per tick), so they converge without timers of their own.
import { coalesced } from '../coalesce.js';
import type { KubeObject } from '../resources.js';
import type { KubeStore } from '../store.js';
import { reconcileDaemonSet } from './daemonsets.js';
import { reconcileDeployment } from './deployments.js';
import { reconcileJob } from './jobs.js';
import { isReady, list, obj, phaseOf } from './owned.js';
import { reconcileReplicaSet } from './replicasets.js';
import { reconcileStatefulSet } from './statefulsets.js';

/**
 * Objects the emulated AKS add-on keeps itself (its aci-connector-linux Deployment, labelled as AKS labels what its
 * add-on manager owns, the ReplicaSet under it): the controllers leave them, and what they own, to it.
 */
function keptByAddon(store: KubeStore, o: KubeObject): boolean {
  if (o.metadata.labels?.['kubernetes.azure.com/managedby'] === 'aks') return true;
  const owner = list(o.metadata.ownerReferences).find((r) => r.controller === true && r.kind === 'Deployment');
  const d = owner === undefined ? undefined : store.get('deployments', o.metadata.namespace, String(owner.name));
  return d?.metadata.labels?.['kubernetes.azure.com/managedby'] === 'aks';
}

const CONTROLLERS: [string, (store: KubeStore, o: KubeObject) => void][] = [
  ['deployments', reconcileDeployment],
  ['replicasets', reconcileReplicaSet],
  ['statefulsets', reconcileStatefulSet],
  ['daemonsets', reconcileDaemonSet],
  ['jobs', reconcileJob],
];

/** One pass of every controller over every workload. */
function reconcileWorkloads(store: KubeStore): void {
  for (const [type, reconcile] of CONTROLLERS) {
    for (const o of store.list(type).items) {
      if (keptByAddon(store, o)) continue;
      // The object may have changed (or gone) earlier in this pass: reconcile what is stored now.
      const now = store.get(type, o.metadata.namespace, o.metadata.name!);
      if (now !== undefined) reconcile(store, now);
    }
  }
}

/** Kinds whose deletion takes what they control with them (background propagation, kubectl's default). */
const OWNERS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];
const DEPENDENTS = ['replicasets', 'pods', 'jobs'];

/** Deletes everything that names the deleted object as an owner (the garbage collector, background policy). */
function collectDependents(store: KubeStore, owner: KubeObject): void {
  for (const type of DEPENDENTS) {
    for (const o of store.list(type, { namespace: owner.metadata.namespace }).items) {
      if (!list(o.metadata.ownerReferences).some((r) => r.uid === owner.metadata.uid)) continue;
      if (o.metadata.deletionTimestamp !== undefined) continue;
      store.delete(type, o.metadata.namespace, o.metadata.name!);
    }
  }
}

/** What the controllers read of a pod: its phase, readiness, node and whether it is being deleted. */
const counted = (pod: KubeObject): string =>
  [phaseOf(pod), isReady(pod), obj(pod.spec).nodeName, pod.metadata.deletionTimestamp].join('|');
const countsChanged = (pod: KubeObject, old: KubeObject): boolean => counted(pod) !== counted(old);

/**
 * `propagationPolicy: Orphan` (kubectl delete --cascade=orphan): the owner's references are taken off what it
 * controlled before it goes, so the garbage collector leaves them.
 */
export function orphanDependents(store: KubeStore, owner: KubeObject): void {
  for (const type of DEPENDENTS) {
    for (const o of store.list(type, { namespace: owner.metadata.namespace }).items) {
      const refs = list(o.metadata.ownerReferences);
      if (!refs.some((r) => r.uid === owner.metadata.uid)) continue;
      const rest = refs.filter((r) => r.uid !== owner.metadata.uid);
      const metadata = { ...o.metadata, ownerReferences: rest.length === 0 ? undefined : rest };
      store.update(type, { ...o, metadata });
    }
  }
}

/** Starts the controllers on a store; returns the function that stops them. */
export function startControllers(store: KubeStore): () => void {
  const { kick, cancel } = coalesced('emulated controllers', () => reconcileWorkloads(store));
  const kinds = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'Node'];
  const stops = kinds.flatMap((k) => (['created', 'updated', 'deleted'] as const).map((e) => store.on(k, e, kick)));
  // Pod status is written often (a provider syncing thousands): only what a controller counts asks for a pass.
  stops.push(store.on('Pod', 'created', kick), store.on('Pod', 'deleted', kick));
  stops.push(
    store.on('Pod', 'updated', (pod, old) => (old === undefined || countsChanged(pod, old) ? kick() : undefined)),
  );
  for (const k of OWNERS) stops.push(store.on(k, 'deleted', (o) => collectDependents(store, o)));
  kick();
  return () => {
    for (const stop of stops) stop();
    cancel();
  };
}
