// Server-side printing: the meta.k8s.io Table that `kubectl get` asks for, with kubectl's usual columns for the
// kinds people look at (pods, nodes, namespaces, events, deployments, leases) and NAME/AGE for the rest.
import { badRequest } from './errors.js';
import type { KubeObject, ResourceType } from './resources.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown, none = '<none>'): string => (typeof v === 'string' && v !== '' ? v : none);

/** The Table version an Accept header asks for first ('v1' or 'v1beta1'), or undefined for plain JSON. */
export const tableVersionWanted = (accept: string | undefined): 'v1' | 'v1beta1' | undefined => {
  for (const media of (accept ?? '').split(',')) {
    const params = new Map(
      media
        .split(';')
        .slice(1)
        .map((p) => p.trim().split('=') as [string, string]),
    );
    if (params.get('as') === 'Table' && params.get('g') === 'meta.k8s.io')
      return params.get('v') === 'v1beta1' ? 'v1beta1' : 'v1';
    if (media.split(';')[0]!.trim() === 'application/json' && params.size === 0) return undefined;
  }
  return undefined;
};

/** kubectl's short ages: 45s, 5m30s, 3h, 2d5h, 400d, 3y20d. */
export const humanDuration = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  const y = Math.floor(d / 365);
  if (d < 365 * 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
};

const age = (timestamp: unknown, now: number): string =>
  typeof timestamp === 'string' && timestamp !== '' ? humanDuration(now - Date.parse(timestamp)) : '<unknown>';

interface Column {
  name: string;
  type: 'string' | 'integer';
  /** 0 for default output, 1 for `-o wide` only. */
  priority: number;
  cell: (o: KubeObject, now: number) => string | number;
}

const col = (name: string, cell: Column['cell'], priority = 0, type: Column['type'] = 'string'): Column => ({
  name,
  type,
  priority,
  cell,
});
const NAME = col('Name', (o) => o.metadata.name ?? '');
const AGE = col('Age', (o, now) => age(o.metadata.creationTimestamp, now));

/** Pod STATUS as kubectl computes it: phase, overridden by container waiting/terminated reasons, Terminating. */
const podStatus = (pod: KubeObject): string => {
  const status = obj(pod.status);
  let reason = str(status.reason, str(status.phase, 'Unknown'));
  for (const cs of list(status.containerStatuses).reverse()) {
    const state = obj(cs.state);
    const waiting = obj(state.waiting);
    const terminated = obj(state.terminated);
    if (typeof waiting.reason === 'string' && waiting.reason !== '') reason = waiting.reason;
    else if (state.terminated !== undefined)
      reason = str(terminated.reason, `ExitCode:${String(terminated.exitCode ?? '')}`);
  }
  if (pod.metadata.deletionTimestamp !== undefined) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
};

const nodeStatus = (node: KubeObject): string => {
  const ready = list(obj(node.status).conditions).find((c) => c.type === 'Ready');
  const base = ready?.status === 'True' ? 'Ready' : ready?.status === 'False' ? 'NotReady' : 'Unknown';
  return obj(node.spec).unschedulable === true ? `${base},SchedulingDisabled` : base;
};

const nodeRoles = (node: KubeObject): string => {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length)
      roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
};

const address = (node: KubeObject, type: string): string =>
  str(list(obj(node.status).addresses).find((a) => a.type === type)?.address);

/** A Job's STATUS column, as kubectl 1.32 prints it: Complete, Failed, Suspended or Running. */
const jobStatus = (j: KubeObject): string => {
  const conditions = list(obj(j.status).conditions).filter((c) => c.status === 'True');
  if (conditions.some((c) => c.type === 'Complete')) return 'Complete';
  if (conditions.some((c) => c.type === 'Failed')) return 'Failed';
  return obj(j.spec).suspend === true ? 'Suspended' : 'Running';
};

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    NAME,
    col('Ready', (p) => {
      const statuses = list(obj(p.status).containerStatuses);
      return `${statuses.filter((c) => c.ready === true).length}/${list(obj(p.spec).containers).length}`;
    }),
    col('Status', podStatus),
    col(
      'Restarts',
      (p) =>
        list(obj(p.status).containerStatuses).reduce(
          (n, c) => n + (typeof c.restartCount === 'number' ? c.restartCount : 0),
          0,
        ),
      0,
      'integer',
    ),
    AGE,
    col('IP', (p) => str(obj(p.status).podIP), 1),
    col('Node', (p) => str(obj(p.spec).nodeName), 1),
    col('Nominated Node', (p) => str(obj(p.status).nominatedNodeName), 1),
    col(
      'Readiness Gates',
      (p) =>
        list(obj(p.spec).readinessGates).length === 0 ? '<none>' : String(list(obj(p.spec).readinessGates).length),
      1,
    ),
  ],
  Node: [
    NAME,
    col('Status', nodeStatus),
    col('Roles', nodeRoles),
    AGE,
    col('Version', (n) => str(obj(obj(n.status).nodeInfo).kubeletVersion, '')),
    col('Internal-IP', (n) => address(n, 'InternalIP'), 1),
    col('External-IP', (n) => address(n, 'ExternalIP'), 1),
    col('OS-Image', (n) => str(obj(obj(n.status).nodeInfo).osImage, '<unknown>'), 1),
    col('Kernel-Version', (n) => str(obj(obj(n.status).nodeInfo).kernelVersion, '<unknown>'), 1),
    col('Container-Runtime', (n) => str(obj(obj(n.status).nodeInfo).containerRuntimeVersion, '<unknown>'), 1),
  ],
  Namespace: [NAME, col('Status', (n) => str(obj(n.status).phase, '')), AGE],
  Event: [
    col('Last Seen', (e, now) => age(e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp, now)),
    col('Type', (e) => str(e.type, '')),
    col('Reason', (e) => str(e.reason, '')),
    col('Object', (e) => `${str(obj(e.involvedObject).kind, '').toLowerCase()}/${str(obj(e.involvedObject).name, '')}`),
    col('Message', (e) => str(e.message, '')),
  ],
  Deployment: [
    NAME,
    col('Ready', (d) => `${Number(obj(d.status).readyReplicas ?? 0)}/${Number(obj(d.spec).replicas ?? 1)}`),
    col('Up-to-date', (d) => Number(obj(d.status).updatedReplicas ?? 0), 0, 'integer'),
    col('Available', (d) => Number(obj(d.status).availableReplicas ?? 0), 0, 'integer'),
    AGE,
  ],
  ReplicaSet: [
    NAME,
    col('Desired', (r) => Number(obj(r.spec).replicas ?? 1), 0, 'integer'),
    col('Current', (r) => Number(obj(r.status).replicas ?? 0), 0, 'integer'),
    col('Ready', (r) => Number(obj(r.status).readyReplicas ?? 0), 0, 'integer'),
    AGE,
  ],
  StatefulSet: [
    NAME,
    col('Ready', (r) => `${Number(obj(r.status).readyReplicas ?? 0)}/${Number(obj(r.spec).replicas ?? 1)}`),
    AGE,
  ],
  DaemonSet: [
    NAME,
    col('Desired', (d) => Number(obj(d.status).desiredNumberScheduled ?? 0), 0, 'integer'),
    col('Current', (d) => Number(obj(d.status).currentNumberScheduled ?? 0), 0, 'integer'),
    col('Ready', (d) => Number(obj(d.status).numberReady ?? 0), 0, 'integer'),
    col('Up-to-date', (d) => Number(obj(d.status).updatedNumberScheduled ?? 0), 0, 'integer'),
    col('Available', (d) => Number(obj(d.status).numberAvailable ?? 0), 0, 'integer'),
    AGE,
  ],
  Job: [
    NAME,
    col('Status', jobStatus),
    col('Completions', (j) => `${Number(obj(j.status).succeeded ?? 0)}/${Number(obj(j.spec).completions ?? 1)}`),
    AGE,
  ],
  Lease: [NAME, col('Holder', (l) => str(obj(l.spec).holderIdentity, '')), AGE],
};

/** Which part of each object rides along in a row (the `includeObject` query parameter). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The `includeObject` query value, defaulting to Metadata; 400 for anything else. */
export const parseIncludeObject = (v: string | undefined): IncludeObject => {
  if (v === undefined || v === 'Metadata' || v === 'None' || v === 'Object') return v ?? 'Metadata';
  throw badRequest(`includeObject: unsupported value "${v}"`);
};

/** Content-Type of a Table response. */
export const tableContentType = (v: string): string => `application/json;as=Table;v=${v};g=meta.k8s.io`;

/**
 * A meta.k8s.io Table of `objects`. `listMeta` becomes the table's metadata (resourceVersion, continue).
 * Rows carry PartialObjectMetadata by default, which kubectl needs for the NAMESPACE column of `-A`.
 */
export const toTable = (
  t: ResourceType,
  objects: readonly KubeObject[],
  opts: { version: 'v1' | 'v1beta1'; includeObject?: IncludeObject; listMeta?: Obj; now?: number },
): Obj => {
  const columns = COLUMNS[t.kind] ?? [NAME, AGE];
  const now = opts.now ?? Date.now();
  const include = opts.includeObject ?? 'Metadata';
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: opts.listMeta ?? {},
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c === NAME ? 'name' : '',
      description: c === NAME ? 'Name must be unique within a namespace.' : c.name,
      priority: c.priority,
    })),
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o, now)),
      ...(include === 'None'
        ? {}
        : {
            object:
              include === 'Object'
                ? o
                : { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${opts.version}`, metadata: o.metadata },
          }),
    })),
  };
};
