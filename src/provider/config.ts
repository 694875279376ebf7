// What a provider run is given: its settings and its ports (ACI, Kubernetes, the subnet check), all injected, so the
// same core runs as `provider run` and as the emulator's in-process connector.
import type { ContainerGroupsPort } from '../azure/container-groups.js';
import type { Throttle } from '../azure/throttle.js';
import type { ProviderKube } from '../kube/provider-objects.js';

/** Settings of one provider run. */
export interface ProviderConfig {
  nodeName: string;
  /** Where container groups go. */
  resourceGroup: string;
  region: string;
  subnetId?: string;
  syncIntervalMs: number;
  /** How often a steady group is read anyway. */
  refreshMs: number;
  dryRun: boolean;
  /** On stop: 'all' deletes the groups of this node and the node; 'node' only the node and lease; 'none' nothing. */
  drain: 'all' | 'node' | 'none';
  /** Reconcile once (create, delete orphans, one status sync) and stop. */
  once: boolean;
  /** The node's InternalIP, reported as pods' hostIP. */
  nodeIP?: string;
  version: string;
  /** Lease holder identity. */
  holder: string;
  clusterDomain?: string;
}

/** The provider's ports. */
export interface ProviderPorts {
  aci: ContainerGroupsPort;
  kube: ProviderKube;
  /** Whether the ACI subnet can take groups now (undefined: no subnet to check). */
  subnetHealth?: () => Promise<{ ok: boolean; message?: string }>;
  throttle?: Throttle;
}
