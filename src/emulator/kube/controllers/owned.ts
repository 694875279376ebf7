// What the workload controllers share: owner references, pods made from a template, and pod readiness.
import { recordEvent } from '../events.js';
import type { KubeObject } from '../resources.js';
import type { KubeStore } from '../store.js';

export type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
export const int = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isInteger(v) ? v : fallback;

/** The controller owner reference a controller puts on what it creates (blocking foreground deletion, as kube's do). */
export const controllerRef = (owner: KubeObject): Obj => ({
  apiVersion: owner.apiVersion,
  kind: owner.kind,
  name: owner.metadata.name,
  uid: owner.metadata.uid,
  controller: true,
  blockOwnerDeletion: true,
});

/** True when `o` names `owner` (by uid) as its controller. */
export const ownedBy = (o: KubeObject, owner: KubeObject): boolean =>
  list(o.metadata.ownerReferences).some((r) => r.uid === owner.metadata.uid && r.controller === true);

/** A pod being deleted no longer counts for its controller (it makes a replacement at once, as kube's do). */
export const terminating = (pod: KubeObject): boolean => pod.metadata.deletionTimestamp !== undefined;

export const phaseOf = (pod: KubeObject): string => String(obj(pod.status).phase ?? 'Pending');

export const isReady = (pod: KubeObject): boolean =>
  list(obj(pod.status).conditions).some((c) => c.type === 'Ready' && c.status === 'True');

/** A pod for `owner` from its template: the template's labels and spec, the owner's namespace and reference. */
export function podFromTemplate(
  owner: KubeObject,
  template: unknown,
  naming: { name: string } | { generateName: string },
  extra: { labels?: Record<string, string>; spec?: Obj } = {},
): Obj {
  const t = obj(template);
  const meta = obj(t.metadata);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...meta,
      ...naming,
      namespace: owner.metadata.namespace,
      labels: { ...obj(meta.labels), ...extra.labels },
      ownerReferences: [controllerRef(owner)],
    },
    spec: { ...obj(t.spec), ...extra.spec },
  };
}

/** Reports what a controller did about `owner` the way kube's controllers word it (`kubectl describe` shows it). */
export const report = (store: KubeStore, owner: KubeObject, component: string, reason: string, message: string): void =>
  void recordEvent(store, owner, {
    type: reason.startsWith('Failed') || reason === 'BackoffLimitExceeded' ? 'Warning' : 'Normal',
    reason,
    message,
    component,
  });

/** Creates a controller's pod and reports it (SuccessfulCreate "Created pod: <name>"). */
export function createPod(store: KubeStore, owner: KubeObject, component: string, pod: Obj): KubeObject {
  const created = store.create('pods', pod);
  report(store, owner, component, 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
  return created;
}

/** Deletes a controller's pod and reports it (SuccessfulDelete "Deleted pod: <name>"). */
export function deletePod(store: KubeStore, owner: KubeObject, component: string, pod: KubeObject): void {
  store.delete('pods', pod.metadata.namespace, pod.metadata.name!);
  report(store, owner, component, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
}

/** A short stable hash of a value, in the alphabet kube uses for generated name suffixes (pod-template-hash). */
export function templateHash(value: unknown, length = 10): string {
  const text = JSON.stringify(value);
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) h = BigInt.asUintN(64, (h ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < length; i++) {
    out += alphabet[Number(h % 27n)];
    h /= 27n;
  }
  return out;
}
