// A tiny kube-scheduler: binds pending pods to Ready nodes whose taints they tolerate and whose labels match their
// nodeSelector / required node affinity. Enough for "a pod tolerating the virtual node's taint lands there".
import { coalesced } from './coalesce.js';
import { recordEvent } from './events.js';
import { withCondition } from './kinds.js';
import type { KubeObject } from './resources.js';
import { matchesLabels, requirementsOf, type LabelSelectorObject } from './selectors.js';
import type { KubeStore } from './store.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const SCHEDULER = 'default-scheduler';

/** Whether one toleration tolerates one taint (Kubernetes' rules: empty effect/key with Exists match all). */
export const tolerates = (toleration: Obj, taint: Obj): boolean => {
  if (str(toleration.effect) !== '' && toleration.effect !== taint.effect) return false;
  if (toleration.operator === 'Exists') return str(toleration.key) === '' || toleration.key === taint.key;
  return toleration.key === taint.key && str(toleration.value) === str(taint.value);
};

const isReady = (node: KubeObject): boolean =>
  list(obj(node.status).conditions).some((c) => c.type === 'Ready' && c.status === 'True');

/** Why `node` cannot take `pod` (the scheduler's wording), or undefined when it can. */
export const unfitReason = (pod: KubeObject, node: KubeObject): string | undefined => {
  const spec = obj(pod.spec);
  if (obj(node.spec).unschedulable === true) return 'node(s) were unschedulable';
  if (!isReady(node)) return 'node(s) were not ready';
  const labels = node.metadata.labels ?? {};
  const selector = obj(spec.nodeSelector) as Record<string, string>;
  const terms = list(
    obj(obj(obj(spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution).nodeSelectorTerms,
  );
  const termFits = (term: Obj): boolean =>
    matchesLabels(requirementsOf({ matchExpressions: term.matchExpressions } as LabelSelectorObject), labels) &&
    list(term.matchFields).every(
      (f) =>
        f.key !== 'metadata.name' ||
        (f.operator === 'In') === ((f.values as string[]) ?? []).includes(node.metadata.name!),
    );
  if (
    !matchesLabels(requirementsOf({ matchLabels: selector }), labels) ||
    (terms.length > 0 && !terms.some(termFits))
  ) {
    return "node(s) didn't match Pod's node affinity/selector";
  }
  const tolerations = list(spec.tolerations);
  const taint = list(obj(node.spec).taints).find(
    (t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerations.some((tol) => tolerates(tol, t)),
  );
  if (taint !== undefined) return `node(s) had untolerated taint {${str(taint.key)}: ${str(taint.value)}}`;
  return undefined;
};

/** The scheduler's summary when no node fits, e.g. "0/2 nodes are available: 1 node(s) had untolerated taint {...}.". */
const unschedulableMessage = (nodeCount: number, reasons: Map<string, number>): string => {
  if (nodeCount === 0) return 'no nodes available to schedule pods';
  const parts = [...reasons].map(([why, n]) => `${n} ${why}`).sort();
  return `0/${nodeCount} nodes are available: ${parts.join(', ')}. preemption: 0/${nodeCount} nodes are available: ${nodeCount} Preemption is not helpful for scheduling.`;
};

const wantsUs = (pod: KubeObject): boolean => {
  const spec = obj(pod.spec);
  return (
    str(spec.nodeName) === '' &&
    pod.metadata.deletionTimestamp === undefined &&
    (spec.schedulerName ?? SCHEDULER) === SCHEDULER
  );
};

/** One scheduling pass over every unbound pod. Returns how many pods it bound. */
export const schedulePending = (store: KubeStore): number => {
  const pending = store.list('pods', { fieldSelector: 'spec.nodeName=' }).items.filter(wantsUs);
  if (pending.length === 0) return 0;
  const nodes = store.list('nodes').items;
  const load = new Map<string, number>();
  for (const p of store.list('pods', { fieldSelector: 'spec.nodeName!=' }).items) {
    const node = str(obj(p.spec).nodeName);
    load.set(node, (load.get(node) ?? 0) + 1);
  }
  let bound = 0;
  for (const pod of pending) {
    const reasons = new Map<string, number>();
    const fits = nodes.filter((n) => {
      const why = unfitReason(pod, n);
      if (why !== undefined) reasons.set(why, (reasons.get(why) ?? 0) + 1);
      return why === undefined;
    });
    const { namespace, name } = pod.metadata as { namespace: string; name: string };
    if (fits.length === 0) {
      markUnschedulable(store, pod, unschedulableMessage(nodes.length, reasons));
      continue;
    }
    // Least loaded first, then by name: spreads pods and stays deterministic for tests.
    const target = fits.sort(
      (a, b) =>
        (load.get(a.metadata.name!) ?? 0) - (load.get(b.metadata.name!) ?? 0) ||
        a.metadata.name!.localeCompare(b.metadata.name!),
    )[0]!;
    const nodeName = target.metadata.name!;
    const boundPod = store.bind(namespace, name, nodeName);
    load.set(nodeName, (load.get(nodeName) ?? 0) + 1);
    recordEvent(store, boundPod, {
      type: 'Normal',
      reason: 'Scheduled',
      message: `Successfully assigned ${namespace}/${name} to ${nodeName}`,
      component: SCHEDULER,
    });
    bound++;
  }
  return bound;
};

/** Sets PodScheduled=False/Unschedulable and reports FailedScheduling, once per distinct message. */
const markUnschedulable = (store: KubeStore, pod: KubeObject, message: string): void => {
  const status = obj(pod.status);
  const current = list(status.conditions).find((c) => c.type === 'PodScheduled');
  if (current?.status === 'False' && current.message === message) return;
  const conditions = withCondition(status.conditions, {
    type: 'PodScheduled',
    status: 'False',
    reason: 'Unschedulable',
    message,
  });
  const updated = store.update('pods', { ...pod, status: { ...status, conditions } }, { subresource: 'status' });
  recordEvent(store, updated, { type: 'Warning', reason: 'FailedScheduling', message, component: SCHEDULER });
};

/**
 * Runs the scheduler against a store: a pass after any pod or node change (coalesced into one per tick), so
 * unschedulable pods are retried when nodes come, go or change. Returns the function that stops it.
 */
export const startScheduler = (store: KubeStore): (() => void) => {
  // A pass may fail on a pod deleted or bound by someone else mid-pass; the next change triggers another.
  const { kick, cancel } = coalesced('emulated scheduler', () => schedulePending(store));
  const kickForPod = (pod: KubeObject): void => {
    if (wantsUs(pod)) kick();
  };
  const stops = [
    store.on('Pod', 'created', kickForPod),
    store.on('Pod', 'updated', kickForPod),
    store.on('Node', 'created', kick),
    store.on('Node', 'updated', kick),
    store.on('Node', 'deleted', kick),
  ];
  kick();
  return () => {
    for (const stop of stops) stop();
    cancel();
  };
};
