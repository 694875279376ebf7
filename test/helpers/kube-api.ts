// Shared set-up for the emulated Kubernetes API server's integration tests: an AKS-shaped cluster, clients from
// @kubernetes/client-node, and small helpers for asynchronous and failing calls.
import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  type V1Node,
  type V1Pod,
  type V1Taint,
} from '@kubernetes/client-node';
import https from 'node:https';
import { afterAll, beforeAll } from 'vitest';
import { startKubeApi, type KubeApi, type KubeApiOptions } from '../../src/emulator/kube/index.js';
import { testTls } from './kube-tls.js';

/** The bearer token test servers accept. */
export const TOKEN = 'test-token';

/** A Linux node; taints and labels as given. */
export const node = (name: string, extra: { labels?: Record<string, string>; taints?: V1Taint[] } = {}): V1Node => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/os': 'linux', ...extra.labels } },
  spec: extra.taints === undefined ? {} : { taints: extra.taints },
});

/** The AKS shape: one VMSS node and the add-on's virtual node with its taint and label. */
export const CLUSTER = [
  node('aks-nodepool1-12345678-vmss000000', { labels: { 'kubernetes.io/role': 'agent' } }),
  node('virtual-node-aci-linux', {
    labels: { type: 'virtual-kubelet', 'kubernetes.io/role': 'agent' },
    taints: [{ key: 'virtual-kubelet.io/provider', value: 'azure', effect: 'NoSchedule' }],
  }),
];

/** A one-container pod. */
export const pod = (name: string, extra: Partial<V1Pod['spec']> = {}, labels: Record<string, string> = {}): V1Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }] }], ...extra },
});

/** What a pod needs to land on the virtual node: its label as nodeSelector and a toleration of its taint. */
export const ON_VIRTUAL_NODE: Partial<V1Pod['spec']> = {
  nodeSelector: { type: 'virtual-kubelet' },
  tolerations: [{ key: 'virtual-kubelet.io/provider', operator: 'Exists' }],
};

/** Starts a server with the AKS cluster (unless `objects` says otherwise) and clients for it. */
export const start = async (options: Partial<KubeApiOptions> = {}) => {
  const api = await startKubeApi({ tls: await testTls(), token: TOKEN, objects: CLUSTER, ...options });
  const kc = new KubeConfig();
  kc.loadFromString(api.kubeconfig());
  return {
    api,
    kc,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    coordination: kc.makeApiClient(CoordinationV1Api),
  };
};

/** Retries `read` until `ok` holds (the scheduler works asynchronously, as the real one does). */
export const eventually = async <T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
  for (let i = 0; ; i++) {
    const v = await read();
    if (ok(v) || i > 100) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** The HTTP status of a failed client call (client-node throws ApiException with `code`). */
export const failure = async (p: Promise<unknown>): Promise<{ code: number; body: any }> => {
  try {
    await p;
  } catch (err) {
    const e = err as { code: number; body: unknown };
    return { code: e.code, body: typeof e.body === 'string' ? JSON.parse(e.body) : e.body };
  }
  throw new Error('expected the call to fail');
};

/** A raw answer: status, content type and body text. */
export interface RawResponse {
  status: number;
  type: string;
  body: string;
}

/** A request outside client-node, to see status codes and bodies exactly as sent. */
export const rawRequest = async (
  api: KubeApi,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
): Promise<RawResponse> => {
  const { ca } = await testTls();
  return new Promise((resolve, reject) => {
    const req = https.request(`${api.url}${path}`, { method, ca, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
};

/** A raw GET (see rawRequest). */
export const rawGet = (api: KubeApi, path: string, headers: Record<string, string>): Promise<RawResponse> =>
  rawRequest(api, 'GET', path, headers);

/** A started test server and its clients. */
export type TestKube = Awaited<ReturnType<typeof start>>;

/**
 * One server for a whole test file: started before the first test, closed after the last. The returned object is
 * filled in by then, so tests read `env.core` and the like directly.
 */
export const useTestKube = (options: Partial<KubeApiOptions> = {}): TestKube => {
  const env = {} as TestKube;
  beforeAll(async () => void Object.assign(env, await start(options)));
  afterAll(async () => env.api?.close());
  return env;
};
