// The Kubernetes reads vnodes makes (enable's wait, status), each counted in the run's call counts.
import type { CoreV1Event, CoreV1Api, V1Node, V1Pod } from '@kubernetes/client-node';
import type { CallCounts } from '../azure/context.js';
import { kubeCall, kubeGet } from './errors.js';

/** A client for one cluster and the counter its calls add to. */
export interface KubeClient {
  core: CoreV1Api;
  calls: CallCounts;
}

/** A node by name; undefined when there is none. */
export async function readNode(kube: KubeClient, name: string): Promise<V1Node | undefined> {
  kube.calls.kubernetes++;
  return kubeGet(`reading node ${name}`, () => kube.core.readNode({ name }));
}

/** Pods in a namespace (or all namespaces), by label and field selector. */
export async function listPods(
  kube: KubeClient,
  what: string,
  query: { namespace?: string; labelSelector?: string; fieldSelector?: string },
): Promise<V1Pod[]> {
  kube.calls.kubernetes++;
  const { namespace, ...selectors } = query;
  const list = await kubeCall(what, () =>
    namespace === undefined
      ? kube.core.listPodForAllNamespaces(selectors)
      : kube.core.listNamespacedPod({ namespace, ...selectors }),
  );
  return list.items;
}

/** Events in a namespace, by field selector (`involvedObject.name=...`). */
export async function listEvents(
  kube: KubeClient,
  what: string,
  namespace: string,
  fieldSelector: string,
): Promise<CoreV1Event[]> {
  kube.calls.kubernetes++;
  return (await kubeCall(what, () => kube.core.listNamespacedEvent({ namespace, fieldSelector }))).items;
}
