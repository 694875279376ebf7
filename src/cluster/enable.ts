// `vnodes enable`: preflight → subnet → add-on → role → wait → summary. Every step reads before it writes and
// does nothing when Azure already looks right, so re-running is a no-op and an interrupted run resumes.
import type { RecordedRequest } from '../azure/record.js';
import type { CheckResult } from '../checks/model.js';
import type { Deps } from '../deps.js';
import { VnodesError } from '../errors.js';
import { addonState } from '../network/addon.js';
import { subnetCreate, type SubnetCreateResult } from '../network-features/subnet-create.js';
import { checkKubeTarget, openCluster } from './kube.js';
import { otherSubnet, setAddon, type AddonStepResult } from './addon-step.js';
import { preflight } from './preflight.js';
import { PENDING_PRINCIPAL, grantSubnetRole, type RoleStepResult } from './role-step.js';
import { throwIfAborted } from '../util/sleep.js';
import { sampleDeployment } from './sample.js';
import type { WaitResult } from './wait-step.js';

/** Options of `vnodes enable`, validated. */
export interface EnableOptions {
  cluster: string;
  resourceGroup: string;
  /** Undefined: the subnet the add-on already uses, else the default name. */
  subnetName?: string;
  cidr?: string;
  prefixLength: number;
  wait: boolean;
  timeoutMs: number;
  pollMs: number;
  dryRun: boolean;
  force: boolean;
  kubeconfig?: string;
  context?: string;
}

/** What `enable` did (or, with --dry-run, would do). */
export interface EnableResult {
  cluster: string;
  resourceGroup: string;
  dryRun: boolean;
  /** Anything written (or, dry, to be written). */
  changed: boolean;
  preflight: CheckResult[];
  subnet: Pick<SubnetCreateResult, 'action' | 'cidr' | 'cidrSource'> & { id: string; name: string };
  addon: {
    action: AddonStepResult['action'];
    subnetName: string;
    identity?: { objectId?: string; clientId?: string; resourceId?: string };
    conflicts: number;
  };
  role?: Omit<RoleStepResult, 'request'>;
  wait?: WaitResult & { source: string };
  /** The writes, in order: method, URL, conditional headers, body. */
  requests: RecordedRequest[];
  sampleDeployment: string;
}

type EnableDeps = Pick<Deps, 'azure' | 'reporter' | 'globals' | 'consent' | 'signal' | 'env'>;

/** Runs enable end to end; throws VnodesError on a failed preflight (unless forced) or a failed step. */
export async function enable(options: EnableOptions, deps: EnableDeps): Promise<EnableResult> {
  const { cluster: name, resourceGroup: group } = options;
  // Local input first: a bad kubeconfig or context must stop enable before its first write, not after its last.
  if (options.wait && !options.dryRun) await checkKubeTarget(options, deps.env);
  const pre = await preflight(
    {
      cluster: name,
      resourceGroup: group,
      prefixLength: options.prefixLength,
      ...(options.subnetName ? { subnetName: options.subnetName } : {}),
      ...(options.cidr ? { cidr: options.cidr } : {}),
    },
    deps,
  );
  const subnetName = pre.subnetName;
  // Asked for another subnet than the one the add-on uses: say so before writing anything.
  const current = addonState(pre.cluster);
  if (current.enabled && current.subnetName && current.subnetName.toLowerCase() !== subnetName.toLowerCase()) {
    throw otherSubnet(name, group, current.subnetName, subnetName);
  }
  if (pre.failed.length && !options.force) {
    throw new VnodesError(`Preflight found ${pre.failed.length} problem(s) on cluster ${name}; nothing was changed.`, {
      code: 'VNODES_PREFLIGHT_FAILED',
      details: pre.failed.map((c) => `✗ ${c.id}: ${c.summary}${c.remediation ? `\n    fix: ${c.remediation}` : ''}`),
      remediation:
        'Fix the problems above and re-run, or pass --force to continue anyway (the add-on will not work until they are fixed).',
    });
  }

  const consent = deps.consent.once(
    `enable virtual nodes on cluster ${name} (subnet ${subnetName}, the aciConnectorLinux add-on, and Network Contributor for its identity)`,
    { dryRun: options.dryRun },
  );
  const requests: RecordedRequest[] = [];

  // Subnet: subnet create's own rules (adopt, create, or refuse a subnet in use), asking with enable's consent.
  const subnet = await subnetCreate(
    {
      cluster: name,
      resourceGroup: group,
      name: subnetName,
      prefixLength: options.prefixLength,
      dryRun: options.dryRun,
      read: pre.read,
      checked: pre.checks,
      consent,
      ...(options.cidr ? { cidr: options.cidr } : {}),
    },
    deps,
  );
  if (subnet.request) requests.push(subnet.request);

  // Add-on: only aciConnectorLinux changes, PUT with If-Match.
  const azure = await deps.azure();
  const addon = await setAddon({
    azure,
    group,
    name,
    want: { enabled: true, subnetName },
    dryRun: options.dryRun,
    reporter: deps.reporter,
    consent,
    signal: deps.signal,
    pollMs: options.pollMs,
    // Creating the subnet does not change the cluster's ETag; if something else did, If-Match says so (412).
    current: pre.cluster,
  });
  if (addon.request) requests.push(addon.request);
  const identity = addonState(addon.cluster).identity ?? undefined;

  // Role: Network Contributor on the subnet for the add-on identity (AKS creates it when the add-on is enabled).
  let role: RoleStepResult | undefined;
  // A dry run on a cluster without the add-on has no identity yet: the plan shows the grant with a placeholder.
  const principalId = identity?.objectId ?? (options.dryRun ? PENDING_PRINCIPAL : undefined);
  if (principalId) {
    role = await grantSubnetRole({
      azure,
      subscriptionId: azure.subscriptionId,
      scope: subnet.subnet.id,
      principalId,
      endpoint: azure.clientOptions.endpoint,
      dryRun: options.dryRun,
      reporter: deps.reporter,
      consent,
      signal: deps.signal,
    });
    if (role.request) requests.push(role.request);
  } else if (!options.dryRun) {
    throw new VnodesError(`AKS enabled the add-on on ${name} but reported no identity for it.`, {
      code: 'VNODES_ADDON_NO_IDENTITY',
      remediation: `Check addonProfiles.aciConnectorLinux.identity in az aks show -g ${group} -n ${name}, then re-run vnodes enable.`,
    });
  }

  let wait: EnableResult['wait'];
  if (options.wait && !options.dryRun) {
    throwIfAborted(deps.signal);
    const { waitForVirtualNode } = await import('./wait-step.js');
    const kube = await openCluster(options, azure, addon.cluster, deps.env);
    const seen = await waitForVirtualNode({
      kube,
      timeoutMs: options.timeoutMs,
      pollMs: options.pollMs,
      reporter: deps.reporter,
      signal: deps.signal,
      cluster: name,
      group,
    });
    wait = { ...seen, source: kube.source };
  }

  const { request: _roleRequest, ...roleResult } = role ?? ({} as RoleStepResult);
  return {
    cluster: name,
    resourceGroup: group,
    dryRun: options.dryRun,
    changed: requests.length > 0,
    preflight: pre.checks,
    subnet: {
      action: subnet.action,
      cidr: subnet.cidr,
      cidrSource: subnet.cidrSource,
      id: subnet.subnet.id,
      name: subnet.subnet.name,
    },
    addon: { action: addon.action, subnetName, conflicts: addon.conflicts, ...(identity ? { identity } : {}) },
    ...(role ? { role: roleResult } : {}),
    ...(wait ? { wait } : {}),
    requests,
    sampleDeployment: sampleDeployment(),
  };
}
