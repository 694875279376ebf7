// The probe's Kubernetes side: create its pod, read it, delete it, and find leftovers by label.
import type { KubeConfig, V1Pod } from '@kubernetes/client-node';
import type { CallCounts } from '../azure/context.js';
import { KubeHttpError, kubeJson } from './raw.js';

export interface ProbeKube {
  createPod(pod: V1Pod): Promise<V1Pod>;
  /** undefined once the pod is gone. */
  getPod(namespace: string, name: string): Promise<V1Pod | undefined>;
  /** Deletes the pod with its default grace, so the virtual node's provider deletes the container group first; a pod already gone is fine. */
  deletePod(namespace: string, name: string): Promise<void>;
  close(): void;
}

const podPath = (ns: string, name: string) =>
  `/api/v1/namespaces/${encodeURIComponent(ns)}/pods${name === '' ? '' : `/${encodeURIComponent(name)}`}`;

const missing = (error: unknown): boolean => error instanceof KubeHttpError && error.code === 404;

/** `calls`: the run's counts (doctor reports them), each request adding one to `kubernetes`. */
export async function probeKube(config: KubeConfig, calls?: CallCounts): Promise<ProbeKube> {
  const raw = await kubeJson(config, 4);
  const kube = {
    request<T>(method: string, path: string, body?: unknown): Promise<T> {
      if (calls) calls.kubernetes++;
      return raw.request<T>(method, path, body);
    },
  };
  return {
    close: () => raw.close(),
    createPod: (pod) => kube.request<V1Pod>('POST', podPath(pod.metadata!.namespace!, ''), pod),
    async getPod(ns, name) {
      try {
        return await kube.request<V1Pod>('GET', podPath(ns, name));
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },
    async deletePod(ns, name) {
      try {
        await kube.request('DELETE', podPath(ns, name));
      } catch (error) {
        if (!missing(error)) throw error;
      }
    },
  };
}
