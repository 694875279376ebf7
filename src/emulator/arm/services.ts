import type { KubeApi } from '../kube/index.js';
import type { AciTiming } from './aci/lifecycle.js';

/**
 * What type handlers may use beyond the ARM store: the emulated directory's timing and the managed clusters'
 * Kubernetes API servers. Built once per emulator by startEmulator; ARM states built on their own get the defaults.
 */
export interface ArmServices {
  /** How long a newly created identity's principal stays unknown to role assignments (400 PrincipalNotFound). */
  readonly principalPropagationMs: number;
  /** True: a role assignment naming a `principalType` skips the directory lookup, as Azure documents. */
  readonly principalTypeSkipsLookup: boolean;
  /** How long after the last container group in a subnet is gone ACI's service association link goes too (default 0). */
  readonly serviceAssociationLinkReleaseMs?: number;
  /** How long each stage of an emulated container's life takes (default DEFAULT_ACI_TIMING). */
  readonly aciTiming?: AciTiming;
  /** The Kubernetes API server of a managed cluster (by ARM id), started on first use; absent without one. */
  readonly kubeFor?: (clusterId: string) => Promise<KubeApi>;
}

/** Services for an ARM state without Kubernetes: principals are visible at once. */
export const DEFAULT_SERVICES: ArmServices = { principalPropagationMs: 0, principalTypeSkipsLookup: false };
