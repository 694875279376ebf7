// Where the pod template sits in each workload kind, and whether it targets the virtual node (pain.md §3 "Scope").
import type { Obj, PathSegment, Targeting } from './types.js';

/** A plain object, or `{}` for anything else. */
export const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
/** A list of plain objects, or `[]`. */
export const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
/** A string map (labels, annotations, nodeSelector) with non-string values dropped. */
export const strings = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  // Several times per object of a run: keys alone, not an array of [key, value] pairs.
  const o = obj(v);
  for (const k of Object.keys(o)) {
    const val = o[k];
    if (typeof val === 'string') out[k] = val;
  }
  return out;
};

/** The taint key of the virtual node (v1 add-on and v2). */
export const TAINT_KEY = 'virtual-kubelet.io/provider';
/** The taint key of virtual nodes before 2019, still in old manifests. */
export const LEGACY_TAINT_KEY = 'azure.com/aci';

/** Pod template locations by kind: spec path and metadata path from the object's root. */
const TEMPLATE_PATHS: Record<string, { spec: PathSegment[]; meta: PathSegment[] }> = {
  Pod: { spec: ['spec'], meta: ['metadata'] },
  Deployment: { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] },
  ReplicaSet: { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] },
  StatefulSet: { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] },
  DaemonSet: { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] },
  Job: { spec: ['spec', 'template', 'spec'], meta: ['spec', 'template', 'metadata'] },
  CronJob: {
    spec: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
    meta: ['spec', 'jobTemplate', 'spec', 'template', 'metadata'],
  },
};

/** The workload kinds lint reads; any other kind is skipped (or handled by the object rules). */
export const WORKLOAD_KINDS: readonly string[] = Object.keys(TEMPLATE_PATHS);

/** The value at a path, or undefined. */
function getIn(root: unknown, path: readonly PathSegment[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** The pod template of a workload object, or undefined when the kind has none. */
export function podTemplateOf(
  o: Obj,
): { spec: Obj; meta: Obj; specPath: PathSegment[]; metaPath: PathSegment[] } | undefined {
  const paths = TEMPLATE_PATHS[String(o.kind)];
  if (!paths) return undefined;
  return {
    spec: obj(getIn(o, paths.spec)),
    meta: obj(getIn(o, paths.meta)),
    specPath: paths.spec,
    metaPath: paths.meta,
  };
}

/** One container with where it is: `containers[i]` or `initContainers[i]` below the pod spec. */
export interface ContainerAt {
  container: Obj;
  path: PathSegment[];
  init: boolean;
  name: string;
}

/** The last spec containersOf saw, and its containers. */
let lastSpec: Obj | undefined;
let lastContainers: Record<'all' | 'main' | 'init', ContainerAt[]> | undefined;

/**
 * Containers (and, with `init`, init containers) with their paths relative to the pod spec. Memoised for the last
 * spec, since the rules walk the containers of one spec after another (a WeakMap entry per object of a run costs the
 * garbage collector more).
 */
export function containersOf(spec: Obj, which: 'all' | 'main' | 'init' = 'all'): ContainerAt[] {
  let cached = spec === lastSpec ? lastContainers : undefined;
  if (!cached) {
    const at = (field: 'containers' | 'initContainers') =>
      list(spec[field]).map((c, i) => ({
        container: c,
        path: [field, i],
        init: field === 'initContainers',
        name: String(c.name ?? i),
      }));
    const main = at('containers');
    const init = at('initContainers');
    cached = { all: [...main, ...init], main, init };
    lastSpec = spec;
    lastContainers = cached;
  }
  return cached[which];
}

/** Node names the virtual kubelets register: v1 `virtual-node-aci-linux`, v2 `<release>-virtualnode-<n>`. */
const isVirtualNodeName = (name: string): boolean => name.startsWith('virtual-node') || /-virtualnode-\d+$/.test(name);

/** A node selector requirement that the virtual node's labels satisfy (`type In [virtual-kubelet]`). */
const selectsVirtualNode = (e: Obj): boolean => {
  const values = Array.isArray(e.values) ? e.values.map(String) : [];
  if (e.operator !== 'In') return false;
  return (
    (e.key === 'type' && values.includes('virtual-kubelet')) ||
    (e.key === 'virtualization' && values.includes('virtualnode2'))
  );
};

/** A requirement the virtual node cannot satisfy (`type NotIn [virtual-kubelet]`, `type In [other]`). */
const excludesVirtualNode = (e: Obj): boolean => {
  const values = Array.isArray(e.values) ? e.values.map(String) : [];
  if (e.key !== 'type') return e.key === 'kubernetes.azure.com/agentpool' && e.operator !== 'NotIn';
  if (e.operator === 'NotIn') return values.includes('virtual-kubelet');
  if (e.operator === 'In') return !values.includes('virtual-kubelet');
  return e.operator === 'DoesNotExist';
};

/** The required node affinity terms (each a list of match expressions). */
const requiredTerms = (spec: Obj): Obj[][] =>
  list(
    obj(obj(obj(obj(spec.affinity).nodeAffinity).requiredDuringSchedulingIgnoredDuringExecution)).nodeSelectorTerms,
  ).map((t) => list(t.matchExpressions));

/** How a pod spec selects the virtual node: by nodeSelector or required affinity, not just by toleration. */
export function selectsVirtual(spec: Obj): boolean {
  const sel = strings(spec.nodeSelector);
  if (sel.type === 'virtual-kubelet' || sel.virtualization === 'virtualnode2') return true;
  return requiredTerms(spec).some((t) => t.some(selectsVirtualNode));
}

/** Every required term (and the node selector) rules the virtual node out. */
export function excludesVirtual(spec: Obj): boolean {
  const sel = strings(spec.nodeSelector);
  if (sel.type !== undefined && sel.type !== 'virtual-kubelet') return true;
  if (sel['kubernetes.azure.com/agentpool'] !== undefined || sel.agentpool !== undefined) return true;
  const terms = requiredTerms(spec);
  return terms.length > 0 && terms.every((t) => t.some(excludesVirtualNode));
}

/** A toleration that lets the pod onto the virtual node (its taint key, or `operator: Exists` with no key). */
export const toleratesTaint = (t: Obj): boolean =>
  t.key === TAINT_KEY || ((t.key === undefined || t.key === '') && t.operator === 'Exists');

/** The pod tolerates the virtual node's taint. */
export const tolerates = (spec: Obj): boolean => list(spec.tolerations).some(toleratesTaint);

/**
 * Targets (selects the virtual node, or nodeName is one), may (tolerates its taint, or the legacy one, without
 * selecting it: it may burst there), or none.
 */
export function targetingOf(spec: Obj): Targeting {
  const nodeName = typeof spec.nodeName === 'string' ? spec.nodeName : '';
  if (nodeName) return isVirtualNodeName(nodeName) ? 'targets' : 'none';
  if (excludesVirtual(spec)) return 'none';
  if (selectsVirtual(spec)) return 'targets';
  // A preferred affinity alone changes nothing: without a toleration the taint keeps the pod off.
  const legacy = list(spec.tolerations).some((t) => t.key === LEGACY_TAINT_KEY);
  return tolerates(spec) || legacy ? 'may' : 'none';
}
