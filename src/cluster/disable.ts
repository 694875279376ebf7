// `vnodes disable`: the add-on off (If-Match), the role assignment vnodes made removed, and with --delete-subnet
// the ACI subnet deleted once no container group uses it. The add-on identity stays, as AKS keeps it.
import { isNotFound } from '../azure/arm-errors.js';
import { listContainerGroups } from '../azure/container-groups.js';
import type { AzureContext } from '../azure/context.js';
import { deleteSubnet, type VnetRef } from '../azure/networks.js';
import type { RecordedRequest } from '../azure/record.js';
import { deleteRoleAssignment, getRoleAssignment } from '../azure/role-assignments.js';
import type { Deps } from '../deps.js';
import { AzureError } from '../errors.js';
import { addonState } from '../network/addon.js';
import { readNetworkFacts } from '../network-features/read-facts.js';
import { setAddon, type AddonStepResult } from './addon-step.js';
import { NETWORK_CONTRIBUTOR_ROLE, roleAssignmentName } from './role.js';

/** Options of `vnodes disable`. */
export interface DisableOptions {
  cluster: string;
  resourceGroup: string;
  deleteSubnet: boolean;
  dryRun: boolean;
}

/** What `disable` did (or would do). */
export interface DisableResult {
  cluster: string;
  resourceGroup: string;
  dryRun: boolean;
  changed: boolean;
  addon: { action: AddonStepResult['action']; subnetName?: string; identityKept?: string };
  role: { action: 'removed' | 'absent' | 'skipped'; assignmentId?: string; reason?: string };
  subnet: {
    action: 'deleted' | 'kept' | 'untouched' | 'absent';
    name?: string;
    reason?: string;
    containerGroups?: string[];
  };
  requests: RecordedRequest[];
}

type DisableDeps = Pick<Deps, 'azure' | 'reporter' | 'globals' | 'consent' | 'signal'>;

export async function disable(options: DisableOptions, deps: DisableDeps): Promise<DisableResult> {
  const { cluster: name, resourceGroup: group, dryRun } = options;
  const read = await readNetworkFacts({ cluster: name, resourceGroup: group }, deps);
  const { facts } = read;
  const state = addonState(facts.cluster);
  const requests: RecordedRequest[] = [];
  const extra = options.deleteSubnet ? `, and delete subnet ${state.subnetName ?? '(none)'} if unused` : '';
  const consent = deps.consent.once(`disable virtual nodes on cluster ${name}${extra}`, { dryRun });
  const azure = await deps.azure();

  const addon = await setAddon({
    azure,
    group,
    name,
    want: { enabled: false },
    dryRun,
    reporter: deps.reporter,
    consent,
    current: facts.cluster,
    signal: deps.signal,
  });
  if (addon.request) requests.push(addon.request);

  const subnetId = facts.subnet?.id;
  const role = await removeRole(azure, subnetId, state.identity?.objectId, dryRun, consent, requests);

  let subnet: DisableResult['subnet'] = {
    action: 'untouched',
    ...(state.subnetName ? { name: state.subnetName } : {}),
  };
  if (options.deleteSubnet) {
    if (!facts.subnet || !read.vnet)
      subnet = { action: 'absent', ...(state.subnetName ? { name: state.subnetName } : {}) };
    else
      subnet = await deleteSubnetIfUnused(
        azure,
        read.vnet,
        facts.subnet.name!,
        facts.subnet.id!,
        facts.cluster.nodeResourceGroup,
        dryRun,
        consent,
        requests,
        deps,
        facts.subnet.etag,
      );
  }
  return {
    cluster: name,
    resourceGroup: group,
    dryRun,
    changed: requests.length > 0,
    addon: {
      action: addon.action,
      ...(state.subnetName ? { subnetName: state.subnetName } : {}),
      ...(state.identity?.resourceId ? { identityKept: state.identity.resourceId } : {}),
    },
    role,
    subnet,
    requests,
  };
}

/** Deletes only the assignment vnodes made (its deterministic name); any other grant is the user's and stays. */
async function removeRole(
  azure: AzureContext,
  scope: string | undefined,
  principalId: string | undefined,
  dryRun: boolean,
  consent: () => Promise<void>,
  requests: RecordedRequest[],
): Promise<DisableResult['role']> {
  if (!scope || !principalId) return { action: 'skipped', reason: 'no add-on identity or subnet to look at' };
  const assignmentName = roleAssignmentName(scope, principalId, NETWORK_CONTRIBUTOR_ROLE);
  try {
    await getRoleAssignment(azure, scope, assignmentName);
  } catch (error) {
    if (isNotFound(error)) return { action: 'absent' };
    throw error;
  }
  const assignmentId = `${scope}/providers/Microsoft.Authorization/roleAssignments/${assignmentName}`;
  if (!dryRun) await consent();
  const { request } = await deleteRoleAssignment(azure, scope, assignmentName, { dryRun });
  if (request) requests.push(request);
  return { action: 'removed', assignmentId };
}

async function deleteSubnetIfUnused(
  azure: AzureContext,
  vnet: VnetRef,
  subnetName: string,
  subnetId: string,
  nodeResourceGroup: string | undefined,
  dryRun: boolean,
  consent: () => Promise<void>,
  requests: RecordedRequest[],
  deps: Pick<Deps, 'reporter'>,
  etag: string | undefined,
): Promise<DisableResult['subnet']> {
  const users = nodeResourceGroup ? await containerGroupsOn(azure, nodeResourceGroup, subnetId) : [];
  if (users.length) {
    return {
      action: 'kept',
      name: subnetName,
      containerGroups: users,
      reason: `${users.length} container group(s) still use it; delete them (or their pods) first`,
    };
  }
  if (!dryRun) await consent();
  try {
    const { request } = await deps.reporter.step(
      dryRun ? `Planning deletion of subnet ${subnetName}` : `Deleting subnet ${subnetName}`,
      () => deleteSubnet(azure, vnet, subnetName, { dryRun, ...(etag ? { etag } : {}) }),
    );
    if (request) requests.push(request);
    return { action: 'deleted', name: subnetName };
  } catch (error) {
    // Azure refuses to delete a subnet that still holds anything (InUseSubnetCannotBeDeleted): keep it and say why.
    if (error instanceof AzureError && error.arm.armCode === 'InUseSubnetCannotBeDeleted') {
      return { action: 'kept', name: subnetName, reason: error.message };
    }
    throw error;
  }
}

async function containerGroupsOn(azure: AzureContext, group: string, subnetId: string): Promise<string[]> {
  try {
    const groups = await listContainerGroups(azure, group);
    return groups
      .filter((g) => g.subnetIds?.some((s) => s.id.toLowerCase() === subnetId.toLowerCase()))
      .map((g) => g.name ?? '?');
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}
