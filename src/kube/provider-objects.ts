// The Kubernetes side of the provider: pods bound to its node (informer, status, delete), events, its node and lease,
// and the ConfigMaps/Secrets a pod refers to. Plain JSON objects in and out, typed with client-node's models.
import type { CoreV1Event, KubeConfig, V1Lease, V1Node, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { startInformer, type Informer, type InformerHandlers } from './informer.js';
import { KubeHttpError, kubeJson, type KubeJson } from './raw.js';

export { KubeHttpError } from './raw.js';
export type { Informer } from './informer.js';

/** What the provider asks of the API server. */
export interface ProviderKube {
  readonly server: string;
  watchPods(nodeName: string, handlers: InformerHandlers<V1Pod>, options?: { retryMs?: number }): Informer<V1Pod>;
  getPod(namespace: string, name: string): Promise<V1Pod | undefined>;
  /** PUT of the status subresource with the pod's resourceVersion (409 when it is stale). */
  replacePodStatus(pod: V1Pod, status: V1PodStatus): Promise<V1Pod>;
  /** Deletes the pod object now, only if it is still the one with `uid`. */
  deletePod(namespace: string, name: string, uid: string | undefined): Promise<void>;
  /** Creates an event, or raises its count when one of that name exists. */
  recordEvent(event: CoreV1Event): Promise<void>;
  getNode(name: string): Promise<V1Node | undefined>;
  createNode(node: V1Node): Promise<V1Node>;
  replaceNodeStatus(node: V1Node): Promise<V1Node>;
  deleteNode(name: string): Promise<void>;
  getLease(name: string): Promise<V1Lease | undefined>;
  createLease(lease: V1Lease): Promise<V1Lease>;
  replaceLease(lease: V1Lease): Promise<V1Lease>;
  deleteLease(name: string): Promise<void>;
  /** A Secret's or ConfigMap's data; undefined when it does not exist. */
  getObject(
    kind: 'Secret' | 'ConfigMap',
    namespace: string,
    name: string,
  ): Promise<{ data?: Record<string, string>; binaryData?: Record<string, string>; type?: string } | undefined>;
  /** kube-system/kube-dns's cluster IP, the DNS server of ClusterFirst pods. */
  dnsServiceIp(): Promise<string | undefined>;
  close(): void;
}

const LEASES = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';
const enc = encodeURIComponent;

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (error) {
    if (error instanceof KubeHttpError && error.code === 404) return undefined;
    throw error;
  }
}

async function ignoreMissing(p: Promise<unknown>): Promise<void> {
  await orUndefined(p);
}

/** The provider's Kubernetes port over a kubeconfig. */
export async function providerKube(config: KubeConfig, debug?: (line: string) => void): Promise<ProviderKube> {
  const kube: KubeJson = await kubeJson(config, 16, debug);
  const podPath = (ns: string, name: string) => `/api/v1/namespaces/${enc(ns)}/pods/${enc(name)}`;
  return {
    server: kube.server,
    close: () => kube.close(),
    watchPods: (nodeName, handlers, options) =>
      startInformer<V1Pod>(kube, '/api/v1/pods', { fieldSelector: `spec.nodeName=${nodeName}` }, handlers, options),
    getPod: (ns, name) => orUndefined(kube.request<V1Pod>('GET', podPath(ns, name))),
    replacePodStatus: (pod, status) =>
      kube.request<V1Pod>('PUT', `${podPath(pod.metadata!.namespace!, pod.metadata!.name!)}/status`, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: pod.metadata!.name,
          namespace: pod.metadata!.namespace,
          resourceVersion: pod.metadata!.resourceVersion,
          uid: pod.metadata!.uid,
        },
        spec: pod.spec,
        status,
      }),
    deletePod: (ns, name, uid) =>
      ignoreMissing(
        kube.request('DELETE', podPath(ns, name), {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          gracePeriodSeconds: 0,
          ...(uid ? { preconditions: { uid } } : {}),
        }),
      ),
    async recordEvent(event) {
      const ns = event.metadata.namespace ?? 'default';
      try {
        await kube.request('POST', `/api/v1/namespaces/${enc(ns)}/events`, event);
      } catch (error) {
        if (!(error instanceof KubeHttpError) || error.code !== 409) throw error;
        await kube.request(
          'PATCH',
          `/api/v1/namespaces/${enc(ns)}/events/${enc(event.metadata.name!)}`,
          { count: event.count, lastTimestamp: event.lastTimestamp, message: event.message },
          'application/merge-patch+json',
        );
      }
    },
    getNode: (name) => orUndefined(kube.request<V1Node>('GET', `/api/v1/nodes/${enc(name)}`)),
    createNode: (node) => kube.request<V1Node>('POST', '/api/v1/nodes', node),
    replaceNodeStatus: (node) => kube.request<V1Node>('PUT', `/api/v1/nodes/${enc(node.metadata!.name!)}/status`, node),
    deleteNode: (name) => ignoreMissing(kube.request('DELETE', `/api/v1/nodes/${enc(name)}`)),
    getLease: (name) => orUndefined(kube.request<V1Lease>('GET', `${LEASES}/${enc(name)}`)),
    createLease: (lease) => kube.request<V1Lease>('POST', LEASES, lease),
    replaceLease: (lease) => kube.request<V1Lease>('PUT', `${LEASES}/${enc(lease.metadata!.name!)}`, lease),
    deleteLease: (name) => ignoreMissing(kube.request('DELETE', `${LEASES}/${enc(name)}`)),
    getObject: (kind, ns, name) =>
      orUndefined(
        kube.request(
          'GET',
          `/api/v1/namespaces/${enc(ns)}/${kind === 'Secret' ? 'secrets' : 'configmaps'}/${enc(name)}`,
        ),
      ),
    async dnsServiceIp() {
      const svc = await orUndefined(
        kube.request<{ spec?: { clusterIP?: string } }>('GET', '/api/v1/namespaces/kube-system/services/kube-dns'),
      );
      const ip = svc?.spec?.clusterIP;
      return ip && ip !== 'None' ? ip : undefined;
    },
  };
}

/** A KubeConfig from kubeconfig YAML (the emulator's connector hands one over). */
export async function kubeConfigFromString(text: string): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  config.loadFromString(text);
  return config;
}
