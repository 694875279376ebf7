// Which workloads aim at the virtual node: a nodeSelector on type=virtual-kubelet, or a toleration of its taint.
import type { V1PodSpec } from '@kubernetes/client-node';

/** True when a pod spec is meant for the virtual node. */
export function targetsVirtualNode(spec: V1PodSpec | undefined): boolean {
  if (!spec) return false;
  if (spec.nodeSelector?.type === 'virtual-kubelet' || spec.nodeName === 'virtual-node-aci-linux') return true;
  return (spec.tolerations ?? []).some((t) => t.key === 'virtual-kubelet.io/provider');
}

/** The images of a pod spec, init containers included. */
export const imagesOf = (spec: V1PodSpec | undefined): string[] =>
  [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].map((c) => c.image ?? '').filter(Boolean);

/** An Azure Container Registry image (public and sovereign clouds). */
export const isAcrImage = (image: string): boolean => /^[a-z0-9]+\.azurecr\.(io|cn|us)\//i.test(image);
