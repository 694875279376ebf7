// The ServiceAccount controller's one job the emulator needs: every namespace has a `default` ServiceAccount, made
// when the namespace is and made again when someone deletes it (kube-controller-manager's serviceaccount-controller
// ensures "default" in each active namespace; kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts).
// Pods rely on it: the ServiceAccount admission plugin (../admission.ts) refuses a pod whose account is missing.
import type { KubeObject } from '../resources.js';
import type { KubeStore } from '../store.js';

const DEFAULT = 'default';

/** Ensures `default` in every namespace now and from here on; returns the stop function. */
export function startServiceAccountController(store: KubeStore): () => void {
  const ensure = (namespace: string): void => {
    const ns = store.get('namespaces', undefined, namespace);
    if (ns === undefined || ns.metadata.deletionTimestamp !== undefined) return;
    if (store.get('serviceaccounts', namespace, DEFAULT) !== undefined) return;
    store.create('serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: DEFAULT, namespace },
    });
  };
  for (const ns of store.list('namespaces').items) ensure(ns.metadata.name!);
  let stopped = false;
  const offNs = store.on('Namespace', 'created', (ns: KubeObject) => ensure(ns.metadata.name!));
  // A deletion is answered after the request that made it, as the controller's watch would: when the whole
  // namespace is going, it is gone by then and nothing is re-created.
  const offSa = store.on('ServiceAccount', 'deleted', (sa: KubeObject) => {
    if (sa.metadata.name !== DEFAULT) return;
    setImmediate(() => {
      if (!stopped) ensure(sa.metadata.namespace!);
    });
  });
  return () => {
    stopped = true;
    offNs();
    offSa();
  };
}
