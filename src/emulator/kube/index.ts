// The emulated Kubernetes API server: a real HTTPS server over the generic object store.
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { DEFAULT_VERSION, type KubeVersion } from './discovery.js';
import type { RequestLogEntry } from './http.js';
import { kubeconfigYaml } from './kubeconfig.js';
import type { KubeObject } from './resources.js';
import { startCrdController } from './crds.js';
import { startScheduler } from './scheduler.js';
import { startControllers } from './controllers/index.js';
import { startServiceAccountController } from './controllers/serviceaccounts.js';
import { guarded } from '../http-guard.js';
import { DEFAULT_REQUEST_LOG_LIMIT } from '../request-log.js';
import { handleRequest } from './server.js';
import { KubeStore } from './store.js';

export { KubeStore } from './store.js';
export type { DeleteResult, Hook, HookEvent, ListResult, TypeRef, WatchEvent, WatchEventType } from './store.js';
export type { KubeObject, ObjectMeta, ResourceType } from './resources.js';
export { KubeError } from './errors.js';
export { recordEvent, type EventRecord } from './events.js';
export { isVirtualNode } from './kinds.js';
export type { RequestLogEntry } from './http.js';

/** How to start the emulated API server. */
export interface KubeApiOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free one). */
  port?: number;
  /** Server certificate and key, and the CA that signed it (written into kubeconfigs). PEM. */
  tls: { cert: string; key: string; ca: string };
  /** The bearer token clients must send; any other token gets 401. */
  token: string;
  /** Objects present at start (a scenario's Kubernetes part), of any served kind; namespaces are created first. */
  objects?: unknown[];
  /** Cluster name used in kubeconfigs (default "vnodes-emulator"). */
  clusterName?: string;
  /** What /version reports (default 1.32). */
  version?: KubeVersion;
  /** Run the emulated scheduler that binds pending pods (default true). */
  scheduler?: boolean;
  /** Run the workload controllers: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, garbage collection (default true). */
  controllers?: boolean;
  /** How many entries `requests` keeps, the oldest dropped first (default 10,000). */
  requestLogLimit?: number;
  /** Changes a watch can resume from before 410 Gone (default 1,000). */
  watchHistory?: number;
  /** Period of BOOKMARK events on watches that allow them (default 10 s, inside client-node's 30 s idle timeout). */
  bookmarkIntervalMs?: number;
}

/** A running emulated API server. */
export interface KubeApi {
  /** https://HOST:PORT */
  readonly url: string;
  /** A kubeconfig (YAML) for this server: its CA as certificate-authority-data and the bearer token. */
  kubeconfig(opts?: { contextName?: string; user?: string }): string;
  /** The object store, for in-process emulator logic (connector, provider); tests should use the API. */
  readonly store: KubeStore;
  /** The most recent requests served (at most `requestLogLimit`), oldest first. */
  readonly requests: RequestLogEntry[];
  /** Stops listening, ends open watches and log streams, and stops the scheduler and the controllers. */
  close(): Promise<void>;
}

/**
 * Creates initial objects: namespaces first so namespaced objects find theirs, then CustomResourceDefinitions so the
 * custom resources after them have a type. Unknown kinds are an error.
 */
const loadObjects = (store: KubeStore, objects: readonly unknown[]): void => {
  const rank = (o: Partial<KubeObject>): number =>
    o.kind === 'Namespace' ? 0 : o.kind === 'CustomResourceDefinition' ? 1 : 2;
  const ordered = objects
    .map((o, i) => ({ o: o as Partial<KubeObject>, i }))
    .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i);
  for (const { o: k, i } of ordered) {
    const type = store.types.ofObject(String(k.apiVersion ?? ''), String(k.kind ?? ''));
    if (type === undefined)
      throw new Error(`initial object ${i} (${k.apiVersion}/${k.kind}) is not a kind the emulated API server serves`);
    const name = k.metadata?.name;
    // The system namespaces exist already; a scenario may list them anyway.
    if (type.kind === 'Namespace' && name !== undefined && store.get(type, undefined, name) !== undefined) continue;
    // A namespace's `default` ServiceAccount exists once the namespace does; a scenario's own (with its
    // imagePullSecrets, say) takes its place.
    const ns = k.metadata?.namespace ?? 'default';
    if (type.kind === 'ServiceAccount' && name === 'default' && store.get(type, ns, name) !== undefined) {
      store.update(type, { ...k, metadata: { ...k.metadata, namespace: ns } });
      continue;
    }
    store.create(type, k, { fromApi: false });
  }
};

/** Starts the emulated Kubernetes API server on HTTPS. */
export const startKubeApi = async (options: KubeApiOptions): Promise<KubeApi> => {
  if (options.token === '') throw new Error('startKubeApi needs a non-empty bearer token');
  const store = new KubeStore(options.watchHistory === undefined ? {} : { watchHistory: options.watchHistory });
  const stopSa = startServiceAccountController(store);
  const stopCrds = startCrdController(store);
  loadObjects(store, options.objects ?? []);
  const stopScheduler = options.scheduler === false ? () => {} : startScheduler(store);
  const stopControllers = options.controllers === false ? () => {} : startControllers(store);

  const requests: RequestLogEntry[] = [];
  const streams = new Set<() => void>();
  const host = options.host ?? '127.0.0.1';
  let address = '';
  const server = createServer(
    { cert: options.tls.cert, key: options.tls.key },
    guarded((req, res) =>
      handleRequest(
        {
          store,
          token: options.token,
          version: options.version ?? DEFAULT_VERSION,
          serverAddress: () => address,
          requests,
          requestLogLimit: options.requestLogLimit ?? DEFAULT_REQUEST_LOG_LIMIT,
          bookmarkIntervalMs: options.bookmarkIntervalMs ?? 10_000,
          track: (close) => {
            streams.add(close);
            return () => void streams.delete(close);
          },
        },
        req,
        res,
      ),
    ),
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    stopScheduler();
    stopControllers();
    stopSa();
    stopCrds();
    throw err;
  }
  const port = (server.address() as AddressInfo).port;
  address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const url = `https://${address}`;
  const clusterName = options.clusterName ?? 'vnodes-emulator';

  return {
    url,
    store,
    requests,
    kubeconfig: (opts = {}) => kubeconfigYaml({ url, ca: options.tls.ca, token: options.token, clusterName, ...opts }),
    close: async () => {
      stopScheduler();
      stopControllers();
      stopSa();
      stopCrds();
      for (const close of [...streams]) close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
};
