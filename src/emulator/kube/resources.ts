import { badRequest } from './errors.js';

/** Kubernetes object metadata, loosely typed: the emulator keeps whatever clients send. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  [key: string]: unknown;
}

/** Any Kubernetes object as JSON. Fields besides apiVersion/kind/metadata are free-form. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** A resource type the server serves: where it lives in the API, how it is named, which verbs apply. */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower-case, as in URLs ("pods"). */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  /** Subresources served besides the object itself ("status", "log", "binding"). */
  subresources: string[];
  /** Field selector keys allowed besides metadata.name / metadata.namespace. */
  fields: string[];
  categories: string[];
}

/** `group/version` for the core group is just the version, as in `apiVersion`. */
export const groupVersion = (t: Pick<ResourceType, 'group' | 'version'>): string =>
  t.group === '' ? t.version : `${t.group}/${t.version}`;

/** Store key of a type: "v1/pods", "apps/v1/deployments". */
export const typeKey = (t: ResourceType): string => `${groupVersion(t)}/${t.resource}`;

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const def = (
  group: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<Pick<ResourceType, 'shortNames' | 'subresources' | 'fields' | 'categories' | 'singular'>> = {},
): ResourceType => ({
  group,
  version: 'v1',
  resource,
  kind,
  namespaced,
  singular: extra.singular ?? kind.toLowerCase(),
  shortNames: extra.shortNames ?? [],
  subresources: extra.subresources ?? [],
  fields: extra.fields ?? [],
  categories: extra.categories ?? [],
});

/** Every type the emulator serves, in discovery order. Adding a kind here is all a plain kind needs. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  def('', 'namespaces', 'Namespace', false, { shortNames: ['ns'], subresources: ['status'], fields: ['status.phase'] }),
  def('', 'nodes', 'Node', false, { shortNames: ['no'], subresources: ['status'], fields: ['spec.unschedulable'] }),
  def('', 'pods', 'Pod', true, {
    shortNames: ['po'],
    subresources: ['status', 'log', 'binding'],
    fields: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'spec.serviceAccountName',
      'status.phase',
      'status.podIP',
      'status.nominatedNodeName',
    ],
    categories: ['all'],
  }),
  def('', 'events', 'Event', true, {
    shortNames: ['ev'],
    fields: [
      'involvedObject.kind',
      'involvedObject.namespace',
      'involvedObject.name',
      'involvedObject.uid',
      'involvedObject.apiVersion',
      'involvedObject.resourceVersion',
      'involvedObject.fieldPath',
      'reason',
      'reportingComponent',
      'source',
      'type',
    ],
  }),
  def('', 'services', 'Service', true, { shortNames: ['svc'], subresources: ['status'], categories: ['all'] }),
  def('', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  def('', 'secrets', 'Secret', true, { fields: ['type'] }),
  def('', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  def('apps', 'deployments', 'Deployment', true, {
    shortNames: ['deploy'],
    subresources: ['status', 'scale'],
    categories: ['all'],
  }),
  def('apps', 'daemonsets', 'DaemonSet', true, { shortNames: ['ds'], subresources: ['status'], categories: ['all'] }),
  def('apps', 'replicasets', 'ReplicaSet', true, {
    shortNames: ['rs'],
    subresources: ['status', 'scale'],
    categories: ['all'],
  }),
  def('apps', 'statefulsets', 'StatefulSet', true, {
    shortNames: ['sts'],
    subresources: ['status', 'scale'],
    categories: ['all'],
  }),
  def('batch', 'jobs', 'Job', true, { subresources: ['status'], categories: ['all'] }),
  def('batch', 'cronjobs', 'CronJob', true, { shortNames: ['cj'], subresources: ['status'], categories: ['all'] }),
  def('coordination.k8s.io', 'leases', 'Lease', true),
  def('networking.k8s.io', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'] }),
  {
    ...def('autoscaling', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, {
      shortNames: ['hpa'],
      subresources: ['status'],
      categories: ['all'],
    }),
    version: 'v2',
  },
];

/** Verbs of a type (all of them: the emulator has no RBAC). */
export const verbsOf = (_t: ResourceType): string[] => [...VERBS];

/**
 * Resolves how in-process callers name a type: plural ("pods"), kind ("Pod"), short name ("po"),
 * or "group/version/resource" ("apps/v1/deployments", "v1/pods"). Throws for anything else.
 */
export const resolveType = (ref: string | ResourceType): ResourceType => {
  if (typeof ref !== 'string') return ref;
  const found = RESOURCE_TYPES.find(
    (t) => typeKey(t) === ref || t.resource === ref || t.kind === ref || t.shortNames.includes(ref),
  );
  if (found === undefined) throw badRequest(`the emulator does not serve resource type "${ref}"`);
  return found;
};

/**
 * A deep copy of `input` as a `t` object: apiVersion/kind filled in (400 if they name another type) and the
 * namespace settled (the request's, else the object's, else "default"; none for cluster-scoped types).
 */
export const normaliseObject = (t: ResourceType, input: unknown, namespace: string | undefined): KubeObject => {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    throw badRequest(`a ${t.kind} must be a JSON object`);
  const o = structuredClone(input) as KubeObject;
  const apiVersion = groupVersion(t);
  if ((o.apiVersion ?? apiVersion) !== apiVersion || (o.kind ?? t.kind) !== t.kind) {
    throw badRequest(
      `the API version in the data (${o.apiVersion}) and kind (${o.kind}) do not match the ${apiVersion} ${t.kind} endpoint`,
    );
  }
  o.apiVersion = apiVersion;
  o.kind = t.kind;
  o.metadata = { ...(o.metadata ?? {}) };
  if (!t.namespaced) delete o.metadata.namespace;
  else {
    const given = o.metadata.namespace;
    if (namespace !== undefined && given !== undefined && given !== '' && given !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    o.metadata.namespace = namespace ?? (given === undefined || given === '' ? 'default' : given);
  }
  return o;
};
