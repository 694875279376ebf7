// `vnodes status`: one screen about the add-on, read in parallel where the reads are independent. Kubernetes being
// unreachable is reported, not fatal: the Azure half of the picture is still worth showing.
import type { ManagedCluster } from '@azure/arm-containerservice';
import { armRemediation, isNotFound } from '../azure/arm-errors.js';
import { listContainerGroups } from '../azure/container-groups.js';
import type { AzureContext } from '../azure/context.js';
import type { Deps } from '../deps.js';
import { AzureError, InterruptedError, UsageError, isVnodesError } from '../errors.js';
import { listPods } from '../kube/reads.js';
import { addonState } from '../network/addon.js';
import { ACI_DELEGATION, subnetPrefixes } from '../network/facts.js';
import { readNetworkFacts } from '../network-features/read-facts.js';
import { checkKubeTarget, openCluster } from './kube.js';
import { JOIN_ROLES, ROLE_NAMES, roleGuid } from './role.js';
import { grantsOn } from './role-step.js';
import { VIRTUAL_NODE_NAME, type ConnectorHealth, type NodeHealth } from './health.js';

/** Options of `vnodes status`. */
export interface StatusOptions {
  cluster: string;
  resourceGroup: string;
  kubeconfig?: string;
  context?: string;
}

/** A part of the screen whose read failed: shown as `error` with its fix, while the rest is still shown. */
export interface StatusReadError {
  part: 'role' | 'kubernetes' | 'containerGroups';
  code: string;
  message: string;
  remediation: string;
}

/** Everything `status` shows. */
export interface StatusResult {
  cluster: string;
  resourceGroup: string;
  location?: string;
  /** The cluster's last operation: anything but Succeeded means the add-on settings may not be in effect. */
  provisioningState?: string;
  /** Reads that failed; empty when the whole screen could be read. */
  errors: StatusReadError[];
  addon: {
    enabled: boolean;
    subnetName?: string;
    identity?: { objectId?: string; clientId?: string; resourceId?: string };
  };
  subnet?: {
    name: string;
    id?: string;
    exists: boolean;
    addressPrefixes: string[];
    delegated: boolean;
    /** Addresses in use: the subnet's NIC IP configurations plus one per container group in it. */
    usedIps: number;
    /** Of those, the container groups' (ACI's addresses are not among the subnet's ipConfigurations). */
    containerGroupIps: number;
  };
  role?: { granted: boolean; assignments: { role: string; scope: string }[] };
  kubernetes: {
    reachable: boolean;
    source?: string;
    error?: string;
    /** What to do about `error`. */
    remediation?: string;
    node?: NodeHealth;
    connector?: ConnectorHealth;
    pods?: Record<string, number>;
  };
  containerGroups: { name: string; state: string; subnetId?: string }[];
  /** Add-on on, role granted, node Ready, connector Running. */
  healthy: boolean;
}

export async function status(
  options: StatusOptions,
  deps: Pick<Deps, 'azure' | 'reporter' | 'env'>,
): Promise<StatusResult> {
  const { cluster: name, resourceGroup: group } = options;
  // Local input first: a bad kubeconfig or context is the user's typo, reported before any call.
  await checkKubeTarget(options, deps.env);
  const read = await readNetworkFacts({ cluster: name, resourceGroup: group }, deps);
  const { facts } = read;
  const cluster = facts.cluster;
  const addon = addonState(cluster);
  const azure = await deps.azure();
  const subnet = facts.subnet;
  // One failed read (a 409 from an unregistered provider, a 403 on role assignments) must not hide the rest.
  const errors: StatusReadError[] = [];
  const [role, kubernetes, containerGroups] = await Promise.all([
    subnet?.id && addon.identity?.objectId
      ? orError('role', errors, () => readRoles(azure, subnet.id!, addon.identity!.objectId!))
      : Promise.resolve(undefined),
    addon.enabled
      ? readKubernetes(options, deps, azure, cluster)
      : Promise.resolve<StatusResult['kubernetes']>({ reachable: false, error: 'add-on disabled: not read' }),
    cluster.nodeResourceGroup
      ? orError('containerGroups', errors, () => readContainerGroups(azure, cluster.nodeResourceGroup!))
      : Promise.resolve([]),
  ]);
  // Real Azure lists NICs in a subnet's ipConfigurations, not ACI's groups (virtual-kubelet/virtual-kubelet#440: no
  // ACI addresses among a subnet's connected devices); ACI marks the subnet with its service association link only.
  // Each group in the subnet holds one address, so they are counted from the groups themselves.
  const inSubnet = (containerGroups ?? []).filter(
    (g) => subnet?.id && g.subnetId?.toLowerCase() === subnet.id.toLowerCase(),
  ).length;
  const provisioningState = cluster.provisioningState;
  const healthy =
    addon.enabled &&
    errors.length === 0 &&
    (provisioningState === undefined || provisioningState.toLowerCase() === 'succeeded') &&
    Boolean(role?.granted) &&
    Boolean(kubernetes.node?.ready) &&
    Boolean(kubernetes.connector?.running);
  return {
    cluster: name,
    resourceGroup: group,
    ...(cluster.location ? { location: cluster.location } : {}),
    ...(provisioningState ? { provisioningState } : {}),
    errors,
    addon: {
      enabled: addon.enabled,
      ...(addon.subnetName ? { subnetName: addon.subnetName } : {}),
      ...(addon.identity ? { identity: addon.identity } : {}),
    },
    ...(addon.subnetName
      ? {
          subnet: {
            name: addon.subnetName,
            exists: Boolean(subnet),
            ...(subnet?.id ? { id: subnet.id } : {}),
            addressPrefixes: subnet ? subnetPrefixes(subnet) : [],
            delegated: Boolean(
              subnet?.delegations?.some((d) => d.serviceName?.toLowerCase() === ACI_DELEGATION.toLowerCase()),
            ),
            usedIps: (subnet?.ipConfigurations?.length ?? 0) + inSubnet,
            containerGroupIps: inSubnet,
          },
        }
      : {}),
    ...(role ? { role } : {}),
    kubernetes,
    containerGroups: containerGroups ?? [],
    healthy,
  };
}

/** Runs one read of the screen; a failure vnodes understands becomes that part's error line instead of the exit. */
async function orError<T>(
  part: StatusReadError['part'],
  errors: StatusReadError[],
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    // Bugs, interrupts and the user's own typos still end the run.
    if (!isVnodesError(error) || error instanceof InterruptedError || error instanceof UsageError) throw error;
    const remediation =
      error.remediation ??
      (error instanceof AzureError
        ? armRemediation(error.arm.statusCode, error.arm.armCode, error.message)
        : 'Re-run with --debug.');
    errors.push({
      part,
      code: error instanceof AzureError ? error.arm.armCode : error.code,
      message: error.message,
      remediation,
    });
    return undefined;
  }
}

async function readRoles(
  azure: AzureContext,
  scope: string,
  principalId: string,
): Promise<NonNullable<StatusResult['role']>> {
  const grants = await grantsOn(azure, scope, principalId);
  return {
    granted: grants.some((a) => JOIN_ROLES.includes(roleGuid(a.roleDefinitionId))),
    assignments: grants.map((a) => ({
      role: ROLE_NAMES[roleGuid(a.roleDefinitionId)] ?? roleGuid(a.roleDefinitionId),
      scope: a.scope ?? '',
    })),
  };
}

async function readKubernetes(
  options: StatusOptions,
  deps: Pick<Deps, 'env'>,
  azure: AzureContext,
  cluster: ManagedCluster,
): Promise<StatusResult['kubernetes']> {
  try {
    const { readAddonHealth } = await import('./wait-step.js');
    const kube = await openCluster(options, azure, cluster, deps.env);
    const [health, pods] = await Promise.all([
      readAddonHealth(kube),
      listPods(kube, 'listing pods on the virtual node', { fieldSelector: `spec.nodeName=${VIRTUAL_NODE_NAME}` }),
    ]);
    const byPhase: Record<string, number> = {};
    for (const p of pods) byPhase[p.status?.phase ?? 'Unknown'] = (byPhase[p.status?.phase ?? 'Unknown'] ?? 0) + 1;
    return { reachable: true, source: kube.source, ...health, pods: byPhase };
  } catch (error) {
    // A wrong --kubeconfig or --context is the user's typo, not the cluster's state.
    if (error instanceof UsageError || error instanceof InterruptedError) throw error;
    const remediation = isVnodesError(error)
      ? (error.remediation ??
        (error instanceof AzureError
          ? armRemediation(error.arm.statusCode, error.arm.armCode, error.message)
          : undefined))
      : undefined;
    return {
      reachable: false,
      error: error instanceof Error ? error.message : String(error),
      ...(remediation ? { remediation } : {}),
    };
  }
}

async function readContainerGroups(azure: AzureContext, group: string): Promise<StatusResult['containerGroups']> {
  try {
    const groups = await listContainerGroups(azure, group);
    return groups.map((g) => ({
      name: g.name ?? '?',
      state: g.instanceView?.state ?? g.provisioningState ?? 'Unknown',
      ...(g.subnetIds?.[0]?.id ? { subnetId: g.subnetIds[0].id } : {}),
    }));
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}
