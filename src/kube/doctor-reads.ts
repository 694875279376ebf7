// The Kubernetes reads of `vnodes doctor`: each kind listed once per run, cluster-wide, so a run's Kubernetes round
// trips stay at two (the lists in parallel, then the connector's logs). Every call is counted for the JSON report.
import type {
  AdmissionPoliciesFact,
  AdmissionPolicyObject,
  KubeFacts,
  PullSecretFact,
} from '../checks/doctor-facts.js';
import type { KubeAccess } from './connect.js';
import { kubeCall, kubeGet } from './errors.js';

/** The list reads, one per kind. */
export type KubeLists = { [K in keyof KubeFacts]: () => Promise<KubeFacts[K]> };

/** A reader over one cluster's API server. */
export interface DoctorKubeReader {
  source: string;
  lists: KubeLists;
  /** A container's log; `previous` reads the last terminated run (undefined when there is none: HTTP 400). */
  log(namespace: string, pod: string, container: string, previous: boolean): Promise<string | undefined>;
  /** Gatekeeper constraints (every kind of constraints.gatekeeper.sh) and Kyverno policies, found by discovery. */
  admissionPolicies(): Promise<AdmissionPoliciesFact>;
  /** An image pull secret's shape (type, `auths` servers, whether each has a user); the values never leave here. */
  pullSecret(namespace: string, name: string): Promise<PullSecretFact>;
}

/** The `auths` of a docker config secret, as virtual-kubelet reads them (an `auth` field is base64 "user:password"). */
function dockerAuths(type: string | undefined, data: Record<string, string> | undefined): PullSecretFact['auths'] {
  const key = type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
  const raw = data?.[key];
  if (!raw) return undefined;
  try {
    const doc = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as Record<string, unknown>;
    const auths = (key === '.dockercfg' ? doc : doc.auths) as Record<string, Record<string, unknown>> | undefined;
    if (!auths || typeof auths !== 'object') return undefined;
    return Object.entries(auths).map(([server, entry]) => {
      const [user, pass] =
        typeof entry?.auth === 'string' ? Buffer.from(entry.auth, 'base64').toString('utf8').split(':', 2) : [];
      return {
        server,
        username: Boolean(entry?.username || user),
        password: Boolean(entry?.password || pass),
      };
    });
  } catch {
    return undefined;
  }
}

const GATEKEEPER = 'constraints.gatekeeper.sh';
const KYVERNO = 'kyverno.io';

/** Builds the reader; the API clients are created once here. */
export async function doctorKubeReader(access: KubeAccess): Promise<DoctorKubeReader> {
  const counter = access.calls;
  const k8s = await import('@kubernetes/client-node');
  const core = access.core;
  const apps = access.config.makeApiClient(k8s.AppsV1Api);
  const coordination = access.config.makeApiClient(k8s.CoordinationV1Api);
  const networking = access.config.makeApiClient(k8s.NetworkingV1Api);
  const autoscaling = access.config.makeApiClient(k8s.AutoscalingV2Api);
  const custom = access.config.makeApiClient(k8s.CustomObjectsApi);
  const apis = access.config.makeApiClient(k8s.ApisApi);
  const listCustom = async (group: string, version: string, plural: string) => {
    counter.kubernetes++;
    const list = (await kubeCall(`listing ${plural}.${group}`, () =>
      custom.listClusterCustomObject({ group, version, plural }),
    )) as { items?: { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } }[] };
    return list.items ?? [];
  };
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
      kubeServiceAccounts: list('listing service accounts', () => core.listServiceAccountForAllNamespaces()),
      kubeNetworkPolicies: list('listing network policies', () => networking.listNetworkPolicyForAllNamespaces()),
      kubeHpas: list('listing horizontal pod autoscalers', () =>
        autoscaling.listHorizontalPodAutoscalerForAllNamespaces(),
      ),
      kubeNamespaces: list('listing namespaces', () => core.listNamespace()),
    },
    async admissionPolicies() {
      counter.kubernetes++;
      const groups = (await kubeCall('discovering API groups', () => apis.getAPIVersions())).groups;
      const found = groups.filter((g) => g.name === GATEKEEPER || g.name === KYVERNO);
      const objects = await Promise.all(
        found.map(async (g): Promise<AdmissionPolicyObject[]> => {
          const version = g.preferredVersion?.version ?? g.versions[0]?.version ?? 'v1';
          const engine = g.name === GATEKEEPER ? 'gatekeeper' : 'kyverno';
          // Gatekeeper serves one kind per constraint template: discovery says which.
          counter.kubernetes++;
          const resources = (
            await kubeCall(`discovering ${g.name}/${version}`, () => custom.getAPIResources({ group: g.name, version }))
          ).resources.filter(
            (r) =>
              !r.name.includes('/') && (engine === 'gatekeeper' || r.kind === 'ClusterPolicy' || r.kind === 'Policy'),
          );
          const lists = await Promise.all(
            resources.map(async (r) =>
              (await listCustom(g.name, version, r.name)).map((o) => ({
                engine,
                kind: r.kind,
                resource: `${r.name}.${g.name}`,
                name: o.metadata?.name ?? '',
                ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
                spec: ((o as { spec?: Record<string, unknown> }).spec ?? {}) as Record<string, unknown>,
                ...(o.metadata?.labels ? { labels: o.metadata.labels } : {}),
              })),
            ),
          );
          return lists.flat() as AdmissionPolicyObject[];
        }),
      );
      return { apis: found.map((g) => g.name), objects: objects.flat() };
    },
    async pullSecret(namespace, name) {
      counter.kubernetes++;
      try {
        const secret = await kubeGet(`reading secret ${namespace}/${name}`, () =>
          core.readNamespacedSecret({ namespace, name }),
        );
        if (!secret) return { namespace, name, found: false };
        const auths = dockerAuths(secret.type, secret.data);
        return {
          namespace,
          name,
          found: true,
          ...(secret.type ? { type: secret.type } : {}),
          ...(auths ? { auths } : {}),
        };
      } catch (error) {
        // Reading secrets is optional (pain.md §2): a caller without `get secrets` is told, the check goes on.
        if ((error as { code?: string }).code === 'VNODES_KUBE_FORBIDDEN')
          return { namespace, name, found: true, unreadable: 'missing permission get secrets' };
        throw error;
      }
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
