// `kubectl apply -f` in miniature for the demo: create (or leave as is) the objects of a YAML manifest, and wait for
// pods with a label to reach a phase.
import type { KubeConfig, KubernetesObject, V1Pod } from '@kubernetes/client-node';

/** Creates each object of `yaml` in `namespace` unless it exists; returns "kind/name" of each. */
export async function applyManifest(config: KubeConfig, yaml: string, namespace = 'default'): Promise<string[]> {
  const k8s = await import('@kubernetes/client-node');
  const client = k8s.KubernetesObjectApi.makeApiClient(config);
  const done: string[] = [];
  for (const object of k8s.loadAllYaml(yaml) as KubernetesObject[]) {
    object.metadata = { ...object.metadata, namespace: object.metadata?.namespace ?? namespace };
    try {
      await client.read(object as never);
    } catch {
      await client.create(object);
    }
    done.push(`${object.kind?.toLowerCase()}/${object.metadata.name}`);
  }
  return done;
}

/** Waits until a pod matching `labelSelector` is in `phase`; resolves with it, or undefined after `timeoutMs`. */
export async function waitForPod(
  config: KubeConfig,
  namespace: string,
  labelSelector: string,
  phase: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<V1Pod | undefined> {
  const k8s = await import('@kubernetes/client-node');
  const core = config.makeApiClient(k8s.CoreV1Api);
  const end = Date.now() + timeoutMs;
  while (Date.now() < end && !signal?.aborted) {
    const pods = await core.listNamespacedPod({ namespace, labelSelector });
    const found = pods.items.find((p) => p.status?.phase === phase);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}
