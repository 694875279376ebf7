// The Kubernetes reads of `vnodes doctor`: each kind listed once per run, cluster-wide, so a run's Kubernetes round
// trips stay at two (the lists in parallel, then the connector's logs). Every call is counted for the JSON report.
import type { KubeFacts } from '../checks/doctor-facts.js';
import type { KubeAccess } from './connect.js';
import { kubeCall } from './errors.js';

/** The list reads, one per kind. */
export type KubeLists = { [K in keyof KubeFacts]: () => Promise<KubeFacts[K]> };

/** A reader over one cluster's API server. */
export interface DoctorKubeReader {
  source: string;
  lists: KubeLists;
  /** A container's log; `previous` reads the last terminated run (undefined when there is none: HTTP 400). */
  log(namespace: string, pod: string, container: string, previous: boolean): Promise<string | undefined>;
}

/** Builds the reader; the API clients are created once here. */
export async function doctorKubeReader(access: KubeAccess): Promise<DoctorKubeReader> {
  const counter = access.calls;
  const k8s = await import('@kubernetes/client-node');
  const core = access.core;
  const apps = access.config.makeApiClient(k8s.AppsV1Api);
  const coordination = access.config.makeApiClient(k8s.CoordinationV1Api);
  const networking = access.config.makeApiClient(k8s.NetworkingV1Api);
  const autoscaling = access.config.makeApiClient(k8s.AutoscalingV2Api);
  const list =
    <T>(what: string, fn: () => Promise<{ items: T[] }>) =>
    async (): Promise<T[]> => {
      counter.kubernetes++;
      return (await kubeCall(what, fn)).items;
    };
  return {
    source: access.source,
    lists: {
      kubeNodes: list('listing nodes', () => core.listNode()),
      kubePods: list('listing pods', () => core.listPodForAllNamespaces()),
      kubeEvents: list('listing events', () => core.listEventForAllNamespaces()),
      kubeDeployments: list('listing deployments', () => apps.listDeploymentForAllNamespaces()),
      kubeStatefulSets: list('listing statefulsets', () => apps.listStatefulSetForAllNamespaces()),
      kubeDaemonSets: list('listing daemonsets', () => apps.listDaemonSetForAllNamespaces()),
      kubeLeases: list('listing node leases', () => coordination.listNamespacedLease({ namespace: 'kube-node-lease' })),
      kubeServices: list('listing services', () => core.listServiceForAllNamespaces()),
      kubeNetworkPolicies: list('listing network policies', () => networking.listNetworkPolicyForAllNamespaces()),
      kubeHpas: list('listing horizontal pod autoscalers', () =>
        autoscaling.listHorizontalPodAutoscalerForAllNamespaces(),
      ),
      kubeNamespaces: list('listing namespaces', () => core.listNamespace()),
    },
    async log(namespace, pod, container, previous) {
      counter.kubernetes++;
      try {
        return await kubeCall(`reading logs of ${namespace}/${pod}`, () =>
          core.readNamespacedPodLog({ namespace, name: pod, container, previous, tailLines: 200 }),
        );
      } catch (error) {
        // No previous run, or a container that has not started: nothing to read, not a failure of doctor.
        if ((error as { cause?: { code?: number } }).cause?.code === 400) return undefined;
        throw error;
      }
    },
  };
}
