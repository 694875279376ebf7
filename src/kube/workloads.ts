// The Kubernetes reads of `vnodes lint` in live mode: each workload kind (and the Services, NetworkPolicies and HPAs
// the object rules look at) listed once per namespace scope. The only place lint touches @kubernetes/client-node.
import type { KubeConfig } from '@kubernetes/client-node';
import { UsageError } from '../errors.js';
import { kubeconfigPaths, loadKubeconfigs, type KubeconfigInput } from './connect.js';
import { kubeCall } from './errors.js';

/** A namespace, or every namespace. */
export type NamespaceScope = { namespace: string } | { all: true };

/** One list call: the kind, the scope and how many objects came back. */
export interface ListedKind {
  kind: string;
  scope: string;
  count: number;
}

/** A listed object as plain data, with its kind and apiVersion set (list items carry neither). */
export type PlainObject = Record<string, unknown> & { kind: string; apiVersion: string };

/** Loads the kubeconfig and context the user named, without asking Azure (live mode without --cluster). */
export async function kubeconfigFromFlags(input: KubeconfigInput): Promise<KubeConfig> {
  const k8s = await import('@kubernetes/client-node');
  const paths = kubeconfigPaths(input);
  if (paths.length === 0)
    throw new UsageError(
      'There is no kubeconfig to read the cluster from.',
      'Pass --kubeconfig FILE or set KUBECONFIG, or pass --cluster and -g to get credentials from Azure.',
    );
  const config = loadKubeconfigs(k8s, paths);
  const context = input.context ?? config.getCurrentContext();
  if (!config.getContextObject(context))
    throw new UsageError(
      `Context "${context}" is not in ${paths.join(', ')}.`,
      `Pick one with --context: ${
        config
          .getContexts()
          .map((c) => c.name)
          .join(', ') || '(none)'
      }.`,
    );
  config.setCurrentContext(context);
  return config;
}

/** The kinds listed, with the client call for each scope. */
async function listers(config: KubeConfig) {
  const k8s = await import('@kubernetes/client-node');
  const core = config.makeApiClient(k8s.CoreV1Api);
  const apps = config.makeApiClient(k8s.AppsV1Api);
  const batch = config.makeApiClient(k8s.BatchV1Api);
  const net = config.makeApiClient(k8s.NetworkingV1Api);
  const hpa = config.makeApiClient(k8s.AutoscalingV2Api);
  type List = Promise<{ items: object[] }>;
  const kinds: [string, string, (ns: string) => List, () => List][] = [
    ['Pod', 'v1', (namespace) => core.listNamespacedPod({ namespace }), () => core.listPodForAllNamespaces()],
    [
      'Deployment',
      'apps/v1',
      (namespace) => apps.listNamespacedDeployment({ namespace }),
      () => apps.listDeploymentForAllNamespaces(),
    ],
    [
      'ReplicaSet',
      'apps/v1',
      (namespace) => apps.listNamespacedReplicaSet({ namespace }),
      () => apps.listReplicaSetForAllNamespaces(),
    ],
    [
      'StatefulSet',
      'apps/v1',
      (namespace) => apps.listNamespacedStatefulSet({ namespace }),
      () => apps.listStatefulSetForAllNamespaces(),
    ],
    [
      'DaemonSet',
      'apps/v1',
      (namespace) => apps.listNamespacedDaemonSet({ namespace }),
      () => apps.listDaemonSetForAllNamespaces(),
    ],
    ['Job', 'batch/v1', (namespace) => batch.listNamespacedJob({ namespace }), () => batch.listJobForAllNamespaces()],
    [
      'CronJob',
      'batch/v1',
      (namespace) => batch.listNamespacedCronJob({ namespace }),
      () => batch.listCronJobForAllNamespaces(),
    ],
    [
      'Service',
      'v1',
      (namespace) => core.listNamespacedService({ namespace }),
      () => core.listServiceForAllNamespaces(),
    ],
    [
      'ServiceAccount',
      'v1',
      (namespace) => core.listNamespacedServiceAccount({ namespace }),
      () => core.listServiceAccountForAllNamespaces(),
    ],
    // The namespace itself, for its mesh injection label: read for one namespace, listed for all.
    [
      'Namespace',
      'v1',
      (name) =>
        core.readNamespace({ name }).then(
          (ns) => ({ items: [ns] }),
          (error: { code?: number }) => (error?.code === 404 ? { items: [] } : Promise.reject(error)),
        ),
      () => core.listNamespace(),
    ],
    [
      'NetworkPolicy',
      'networking.k8s.io/v1',
      (namespace) => net.listNamespacedNetworkPolicy({ namespace }),
      () => net.listNetworkPolicyForAllNamespaces(),
    ],
    [
      'HorizontalPodAutoscaler',
      'autoscaling/v2',
      (namespace) => hpa.listNamespacedHorizontalPodAutoscaler({ namespace }),
      () => hpa.listHorizontalPodAutoscalerForAllNamespaces(),
    ],
  ];
  return kinds;
}

/** Lists every kind lint reads, once each for the scope, in parallel. Objects come back as plain JSON-shaped data. */
export async function listLiveObjects(
  config: KubeConfig,
  scope: NamespaceScope,
): Promise<{ objects: PlainObject[]; listed: ListedKind[] }> {
  const kinds = await listers(config);
  const label = 'all' in scope ? 'all namespaces' : `namespace ${scope.namespace}`;
  const lists = await Promise.all(
    kinds.map(([kind, apiVersion, namespaced, all]) =>
      kubeCall(`listing ${kind} objects in ${label}`, () =>
        'all' in scope ? all() : namespaced(scope.namespace),
      ).then((list) => ({ kind, apiVersion, items: list.items })),
    ),
  );
  const objects: PlainObject[] = [];
  const listed: ListedKind[] = [];
  for (const { kind, apiVersion, items } of lists) {
    listed.push({ kind, scope: label, count: items.length });
    // The client's models hold Dates and class instances; lint wants the wire shape.
    for (const item of items) objects.push({ ...(JSON.parse(JSON.stringify(item)) as object), kind, apiVersion });
  }
  return { objects, listed };
}
