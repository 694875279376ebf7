// Which workloads aim at the virtual node: a nodeSelector on type=virtual-kubelet, or a toleration of its taint.
import type { V1Deployment, V1Node, V1Pod, V1PodSpec, V1ServiceAccount } from '@kubernetes/client-node';
import { podsOnVirtualNodes, ref } from '../doctor-common.js';

/** True when a pod spec is meant for the virtual node. */
export function targetsVirtualNode(spec: V1PodSpec | undefined): boolean {
  if (!spec) return false;
  if (spec.nodeSelector?.type === 'virtual-kubelet' || spec.nodeName === 'virtual-node-aci-linux') return true;
  return (spec.tolerations ?? []).some((t) => t.key === 'virtual-kubelet.io/provider');
}

/** The images of a pod spec, init containers included. */
const imagesOf = (spec: V1PodSpec | undefined): string[] =>
  [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.image ?? '').filter(Boolean);

/** An Azure Container Registry image (public and sovereign clouds). */
const isAcrImage = (image: string): boolean => /^[a-z0-9]+\.azurecr\.(io|cn|us)\//i.test(image);

/** The registry host of an ACR image (`contoso.azurecr.io`), lower case. */
const acrHost = (image: string): string => image.split('/')[0]!.toLowerCase();

/** A workload aimed at the virtual node that pulls from ACR, with the pull secrets it would use. */
export interface AcrTarget {
  /** `pod ns/name` or `deployment ns/name`. */
  where: string;
  namespace: string;
  images: string[];
  hosts: string[];
  /** From the pod spec, then the service account's (the ServiceAccount admission plugin adds those to new pods). */
  secrets: { name: string; from: 'spec' | 'serviceAccount' }[];
  serviceAccount: string;
}

/**
 * Pods on (or pending for) a virtual node and deployments aimed at one, that pull from ACR. Deployments' pods
 * already listed are not counted twice: a deployment is judged by its template, which its pods copy.
 */
export function acrTargets(
  specs: { where: string; namespace: string; spec: V1PodSpec | undefined }[],
  serviceAccounts: readonly V1ServiceAccount[],
): AcrTarget[] {
  return specs.flatMap(({ where, namespace, spec }) => {
    const images = imagesOf(spec).filter(isAcrImage);
    if (!images.length) return [];
    const serviceAccount = spec?.serviceAccountName ?? 'default';
    const sa = serviceAccounts.find((s) => s.metadata?.namespace === namespace && s.metadata?.name === serviceAccount);
    const own = (spec?.imagePullSecrets ?? []).map((s) => ({ name: s.name ?? '', from: 'spec' as const }));
    const inherited = (sa?.imagePullSecrets ?? [])
      .filter((s) => !own.some((o) => o.name === s.name))
      .map((s) => ({ name: s.name ?? '', from: 'serviceAccount' as const }));
    return [
      {
        where,
        namespace,
        images,
        hosts: [...new Set(images.map(acrHost))],
        secrets: [...own, ...inherited].filter((s) => s.name),
        serviceAccount,
      },
    ];
  });
}

/** The pod specs aimed at a virtual node: pods on one, pods pending with its selector or toleration, templates. */
export function aimedSpecs(
  pods: readonly V1Pod[],
  nodes: readonly V1Node[],
  deployments: readonly V1Deployment[],
): { where: string; namespace: string; spec: V1PodSpec | undefined }[] {
  const ns = (o: { metadata?: { namespace?: string } }) => o.metadata?.namespace ?? 'default';
  const aimed = deployments.filter((d) => targetsVirtualNode(d.spec?.template?.spec));
  // A pod of a listed deployment (through its ReplicaSet, `<deployment>-<hash>`) is judged with its template.
  const ofDeployment = (p: V1Pod) =>
    p.metadata?.ownerReferences?.some(
      (o) =>
        o.kind === 'ReplicaSet' &&
        aimed.some((d) => ns(d) === ns(p) && o.name.startsWith(`${d.metadata?.name ?? ''}-`)),
    ) ?? false;
  return [...podsOnVirtualNodes(pods, nodes), ...pods.filter((p) => !p.spec?.nodeName && targetsVirtualNode(p.spec))]
    .filter((p) => !ofDeployment(p))
    .map((p) => ({ where: `pod ${ref(p)}`, namespace: ns(p), spec: p.spec }))
    .concat(aimed.map((d) => ({ where: `deployment ${ref(d)}`, namespace: ns(d), spec: d.spec?.template?.spec })));
}

/** The ACR workloads of a run's Kubernetes facts. */
export const acrTargetsOf = (f: {
  kubePods: readonly V1Pod[];
  kubeNodes: readonly V1Node[];
  kubeDeployments: readonly V1Deployment[];
  kubeServiceAccounts: readonly V1ServiceAccount[];
}): AcrTarget[] => acrTargets(aimedSpecs(f.kubePods, f.kubeNodes, f.kubeDeployments), f.kubeServiceAccounts);
