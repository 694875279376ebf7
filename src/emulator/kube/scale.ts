// The `scale` subresource of Deployments, ReplicaSets and StatefulSets (autoscaling/v1 Scale), which `kubectl scale`
// patches: it reads and writes `spec.replicas` of the object, with the object's resourceVersion.
import { staleResourceVersion } from './errors.js';
import { applyPatch, type PatchType } from './patch.js';
import type { KubeObject, ResourceType } from './resources.js';
import type { KubeStore } from './store.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

/** The Scale view of a workload, as the apiserver answers GET …/scale. */
export function scaleOf(o: KubeObject): Obj {
  const spec = obj(o.spec);
  const status = obj(o.status);
  const selector = obj(obj(spec.selector).matchLabels);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: o.metadata.name,
      namespace: o.metadata.namespace,
      uid: o.metadata.uid,
      resourceVersion: o.metadata.resourceVersion,
      creationTimestamp: o.metadata.creationTimestamp,
    },
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
    status: {
      replicas: typeof status.replicas === 'number' ? status.replicas : 0,
      selector: Object.entries(selector)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(','),
    },
  };
}

/** 409 Conflict when a Scale names a resourceVersion that is not the workload's current one. */
function conflictIfStale(t: ResourceType, current: KubeObject, resourceVersion: unknown): void {
  if (
    typeof resourceVersion === 'string' &&
    resourceVersion !== '' &&
    resourceVersion !== current.metadata.resourceVersion
  ) {
    throw staleResourceVersion(t.resource, t.group, current.metadata.name!);
  }
}

/** Sets the workload's replicas from a Scale (PUT …/scale); its resourceVersion, when given, must be current. */
export function writeScale(store: KubeStore, t: ResourceType, current: KubeObject, scale: Obj): Obj {
  conflictIfStale(t, current, obj(scale.metadata).resourceVersion);
  const replicas = obj(scale.spec).replicas;
  const updated = store.update(t, { ...current, spec: { ...obj(current.spec), replicas } });
  return scaleOf(updated);
}

/** PATCH …/scale: the patch applies to the Scale, whose replicas then go to the workload. */
export function patchScale(
  store: KubeStore,
  t: ResourceType,
  current: KubeObject,
  type: PatchType,
  patch: unknown,
): Obj {
  return writeScale(store, t, current, obj(applyPatch(type, scaleOf(current), patch)));
}
