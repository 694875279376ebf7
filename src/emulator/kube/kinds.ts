// The little each kind does beyond generic storage: defaults on create, validation, graceful deletion.
import type { StatusCause } from './errors.js';
import type { KubeObject, ResourceType } from './resources.js';
import { isLabelKey, type LabelSelectorObject, matchesLabels, requirementsOf } from './selectors.js';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(obj) : []);

/** What per-kind logic may read from the store. */
export interface KindContext {
  getNode(name: string): KubeObject | undefined;
}

/**
 * Nodes whose pods are run by a virtual kubelet (the ACI connector or vnodes' own provider): such pods are deleted
 * gracefully and the provider finalises them; any other node has no kubelet in the emulator, so deletes are immediate.
 */
export const isVirtualNode = (node: KubeObject | undefined, name: string): boolean =>
  name.startsWith('virtual-node') || node?.metadata.labels?.type === 'virtual-kubelet';

/** Pod QoS class from its containers' requests and limits, as the apiserver sets status.qosClass. */
const qosClass = (spec: Obj): string => {
  const containers = [...list(spec.containers), ...list(spec.initContainers)];
  const res = containers.map((c) => ({ req: obj(obj(c.resources).requests), lim: obj(obj(c.resources).limits) }));
  if (res.every((r) => Object.keys(r.req).length === 0 && Object.keys(r.lim).length === 0)) return 'BestEffort';
  const guaranteed = res.every((r) =>
    ['cpu', 'memory'].every(
      (k) => r.lim[k] !== undefined && (r.req[k] === undefined || String(r.req[k]) === String(r.lim[k])),
    ),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
};

const defaultContainer = (c: Obj): Obj => {
  const image = typeof c.image === 'string' ? c.image : '';
  const tag = image.includes('@') ? 'digest' : (image.split('/').at(-1)!.split(':')[1] ?? 'latest');
  return {
    imagePullPolicy: tag === 'latest' ? 'Always' : 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    resources: {},
    ...c,
  };
};

/**
 * Pod defaults the apiserver adds, so objects read back look real. Not the not-ready/unreachable tolerations of the
 * DefaultTolerationSeconds admission plugin: tolerations are an atomic list, so with them a second
 * `kubectl apply` of a pod that has its own tolerations would always find a difference.
 */
const defaultPod = (pod: KubeObject, fromApi: boolean): void => {
  const spec = obj(pod.spec);
  // `serviceAccount` is the deprecated alias: read when serviceAccountName is empty, and always written back equal
  // to it (the core/v1 PodSpec conversion); `default` is the ServiceAccount admission plugin's choice.
  const named = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const account = named(spec.serviceAccountName) ?? named(spec.serviceAccount) ?? 'default';
  pod.spec = {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
    enableServiceLinks: true,
    priority: 0,
    ...spec,
    serviceAccountName: account,
    serviceAccount: account,
    containers: list(spec.containers).map(defaultContainer),
    ...(spec.initContainers === undefined ? {} : { initContainers: list(spec.initContainers).map(defaultContainer) }),
  };
  // A client cannot create a pod with a status; initial objects from a scenario keep theirs.
  if (fromApi || pod.status === undefined) pod.status = { phase: 'Pending', qosClass: qosClass(obj(pod.spec)) };
};

/**
 * A Job's generated selector, as the apiserver sets it when `manualSelector` is not true: the template's pods carry
 * the controller uid and job name labels, and the selector matches the uid.
 */
const defaultJob = (o: KubeObject, uid: string): void => {
  const spec = obj(o.spec);
  const template = obj(spec.template);
  const name = o.metadata.name ?? '';
  const ids = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  const manual = spec.manualSelector === true;
  o.spec = {
    parallelism: 1,
    completions: 1,
    backoffLimit: 6,
    completionMode: 'NonIndexed',
    suspend: false,
    ...spec,
    ...(manual ? {} : { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } } }),
    template: {
      ...template,
      metadata: {
        ...obj(template.metadata),
        labels: { ...obj(obj(template.metadata).labels), ...(manual ? {} : ids) },
      },
    },
  };
};

/**
 * What every write does to an object before it is stored (create, update, patch). A Secret's `stringData` is merged
 * into `data`, base64-encoded, overwriting keys already there, and is never stored or returned: "stringData ... is
 * provided as a write-only input field for convenience. All keys and values are merged into the data field on
 * write, overwriting any existing values. The stringData field is never output when reading from the API." (the
 * Kubernetes API reference, Secret v1).
 */
export const prepareForWrite = (t: ResourceType, o: KubeObject): void => {
  if (t.kind !== 'Secret' || !('stringData' in o)) return;
  const strings = obj(o.stringData);
  const encoded = Object.fromEntries(
    Object.entries(strings).map(([k, v]) => [k, Buffer.from(String(v), 'utf8').toString('base64')]),
  );
  delete o.stringData;
  o.data = { ...obj(o.data), ...encoded };
};

/** Fills in what the apiserver would on create. `fromApi` is false for initial objects, which may carry a status. */
export const prepareForCreate = (t: ResourceType, o: KubeObject, fromApi: boolean, uid = ''): void => {
  switch (t.kind) {
    case 'Job':
      defaultJob(o, uid);
      if (fromApi) o.status = {};
      return;
    case 'Pod':
      return defaultPod(o, fromApi);
    case 'Namespace':
      o.spec = { finalizers: ['kubernetes'], ...obj(o.spec) };
      o.status = { phase: 'Active', ...(fromApi ? {} : obj(o.status)) };
      return;
    case 'Node':
      // Nodes may be created with a status (kubelets register that way). One that says nothing of readiness is
      // taken as Ready: the emulator has no kubelet to report it, and a scenario's node is meant to be usable.
      if (list(obj(o.status).conditions).length === 0) {
        o.status = {
          ...obj(o.status),
          conditions: [readyCondition('True', 'KubeletReady', 'kubelet is posting ready status')],
        };
      }
      return;
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
    case 'StatefulSet':
    case 'CronJob':
    case 'Service':
      if (fromApi) o.status = {};
      return;
  }
};

/** A node Ready condition with both timestamps set to now. */
const readyCondition = (status: 'True' | 'False' | 'Unknown', reason: string, message: string): Obj => {
  const now = rfc3339(new Date());
  return { type: 'Ready', status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now };
};

/** RFC 3339 at second precision, the form Kubernetes timestamps take. */
export const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Field errors for an object about to be stored (create or update); empty when it is valid. */
export const validate = (t: ResourceType, o: KubeObject): StatusCause[] => {
  const causes: StatusCause[] = [];
  const bad = (field: string, message: string): void =>
    void causes.push({ reason: 'FieldValueInvalid', field, message });
  const name = o.metadata.name ?? '';
  const label = t.kind === 'Namespace';
  if (!(label ? DNS_LABEL : DNS_SUBDOMAIN).test(name) || name.length > (label ? 63 : 253)) {
    bad(
      'metadata.name',
      `Invalid value: "${name}": a lowercase RFC 1123 ${label ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    );
  }
  for (const key of Object.keys(o.metadata.labels ?? {}))
    if (!isLabelKey(key)) bad('metadata.labels', `Invalid value: "${key}": not a valid label key`);
  if (t.kind === 'Pod') {
    const containers = list(obj(o.spec).containers);
    if (containers.length === 0)
      causes.push({ reason: 'FieldValueRequired', field: 'spec.containers', message: 'Required value' });
    containers.forEach((c, i) => {
      if (typeof c.name !== 'string' || c.name === '')
        causes.push({ reason: 'FieldValueRequired', field: `spec.containers[${i}].name`, message: 'Required value' });
      if (typeof c.image !== 'string' || c.image === '')
        causes.push({ reason: 'FieldValueRequired', field: `spec.containers[${i}].image`, message: 'Required value' });
    });
  }
  if (WORKLOADS.includes(t.kind)) {
    const spec = obj(o.spec);
    if (spec.selector === undefined)
      causes.push({ reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' });
    if (spec.template === undefined)
      causes.push({ reason: 'FieldValueRequired', field: 'spec.template', message: 'Required value' });
    const labels = obj(obj(obj(spec.template).metadata).labels) as Record<string, string>;
    if (spec.selector !== undefined && spec.template !== undefined && !selectorMatches(obj(spec.selector), labels)) {
      bad(
        'spec.template.metadata.labels',
        `Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``,
      );
    }
  }
  if (t.kind === 'Job') {
    const policy = obj(obj(obj(o.spec).template).spec).restartPolicy;
    if (policy !== 'Never' && policy !== 'OnFailure') {
      causes.push({
        reason: policy === undefined ? 'FieldValueRequired' : 'FieldValueNotSupported',
        field: 'spec.template.spec.restartPolicy',
        message: `${policy === undefined ? 'Required value' : `Unsupported value: "${String(policy)}"`}: supported values: "OnFailure", "Never"`,
      });
    }
  }
  return causes;
};

/** The kinds whose spec holds a selector and a pod template. */
const WORKLOADS = ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'];

const selectorMatches = (selector: Obj, labels: Record<string, string>): boolean =>
  matchesLabels(requirementsOf(selector as LabelSelectorObject), labels);

/**
 * Seconds a delete should wait before the object is removed (0 removes at once). Pods on a virtual kubelet's node
 * that are still running wait for the provider, which finalises them with gracePeriodSeconds=0.
 */
export const gracePeriodFor = (
  t: ResourceType,
  o: KubeObject,
  requested: number | undefined,
  ctx: KindContext,
): number => {
  if (t.kind !== 'Pod' || requested === 0) return 0;
  const nodeName = obj(o.spec).nodeName;
  const phase = obj(o.status).phase;
  if (typeof nodeName !== 'string' || nodeName === '' || phase === 'Succeeded' || phase === 'Failed') return 0;
  if (!isVirtualNode(ctx.getNode(nodeName), nodeName)) return 0;
  const fromSpec = obj(o.spec).terminationGracePeriodSeconds;
  return requested ?? (typeof fromSpec === 'number' ? fromSpec : 30);
};

/**
 * `conditions` with `cond` set (replacing the one of its type). lastTransitionTime moves only when the status
 * changes, as controllers do; lastProbeTime is left as it was.
 */
export const withCondition = (
  conditions: unknown,
  cond: { type: string; status: string; reason?: string; message?: string },
): Obj[] => {
  const existing = list(conditions);
  const old = existing.find((c) => c.type === cond.type);
  const lastTransitionTime =
    old !== undefined && old.status === cond.status ? old.lastTransitionTime : rfc3339(new Date());
  const next: Obj = {
    type: cond.type,
    status: cond.status,
    lastProbeTime: old?.lastProbeTime ?? null,
    lastTransitionTime,
  };
  if (cond.reason !== undefined) next.reason = cond.reason;
  if (cond.message !== undefined) next.message = cond.message;
  return old === undefined ? [...existing, next] : existing.map((c) => (c === old ? next : c));
};
