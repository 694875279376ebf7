// `vnodes subnet create`: read the cluster and its VNet, decide (subnet-plan.ts), ask, then PUT the whole subnet with
// its precondition and wait for the long-running operation. --dry-run lets the SDK build the PUT and stops it.
import type { Subnet } from '@azure/arm-network';
import { putSubnet } from '../azure/networks.js';
import type { RecordedRequest } from '../azure/record.js';
import type { CheckResult } from '../checks/model.js';
import type { Deps } from '../deps.js';
import { AzureError, VnodesError } from '../errors.js';
import { throwIfAborted } from '../util/sleep.js';
import { toIpv4Network, usableAddresses } from '../network/cidr.js';
import { ACI_DELEGATION, subnetPrefixes, vnetAddressSpace } from '../network/facts.js';
import { readNetworkFacts, type ReadFacts } from './read-facts.js';
import { planSubnet, type SubnetPlan } from './subnet-plan.js';

/** Options of `vnodes subnet create`, as plain data (name, CIDR and prefix length already validated). */
export interface SubnetCreateOptions {
  cluster: string;
  resourceGroup: string;
  name: string;
  cidr?: string;
  prefixLength: number;
  dryRun: boolean;
  /** The cluster and VNet as the caller just read them with this subnet name (enable's preflight), saving two GETs. */
  read?: ReadFacts;
  /** The network checks the caller already ran on `read` (enable's preflight), so they are not run again. */
  checked?: CheckResult[];
  /** The caller's consent rule (enable asks once for all its writes); default: ask for this write alone. */
  consent?: () => Promise<void>;
  /** Set on a retry after 412: the write the user already agreed to, so the same write is not asked for twice. */
  agreed?: { action: string; cidr: string; attempt: number };
}

/** How many times a PUT that lost an ETag race (412) is re-planned from a fresh read and re-sent. */
const ETAG_RETRIES = 3;

/** The result of `vnodes subnet create`; with --dry-run, `action` is what would have been done. */
export interface SubnetCreateResult {
  action: 'created' | 'updated' | 'unchanged';
  dryRun: boolean;
  cluster: string;
  resourceGroup: string;
  vnet: { id: string; name: string; resourceGroup: string; managed: boolean; addressSpace: string[] };
  subnet: { id: string; name: string; addressPrefixes: string[]; delegations: string[]; provisioningState?: string };
  cidr: string;
  cidrSource: SubnetPlan['cidrSource'];
  usableAddresses: number;
  reason: string;
  /** The PUT sent (or, with --dry-run, the one that would be sent); absent when nothing needed writing. */
  request?: RecordedRequest;
  warnings: CheckResult[];
}

type SubnetDeps = Pick<Deps, 'azure' | 'reporter' | 'globals' | 'consent' | 'signal'>;

const PAST = { create: 'created', update: 'updated', unchanged: 'unchanged' } as const;

const usable = (cidr: string): number => {
  const network = toIpv4Network(cidr);
  return network ? usableAddresses(network) : 0;
};

/** Creates or adopts the ACI subnet; throws a VnodesError when the subnet must not be touched. */
export async function subnetCreate(options: SubnetCreateOptions, deps: SubnetDeps): Promise<SubnetCreateResult> {
  const { name } = options;
  const read =
    options.read ??
    (await readNetworkFacts(
      {
        cluster: options.cluster,
        resourceGroup: options.resourceGroup,
        subnetName: name,
        prefixLength: options.prefixLength,
        ...(options.cidr ? { cidr: options.cidr } : {}),
      },
      deps,
    ));
  const plan = await planSubnet(
    read.facts,
    { name, prefixLength: options.prefixLength, ...(options.cidr ? { cidr: options.cidr } : {}) },
    options.read ? options.checked?.filter((c) => c.area === 'network') : undefined,
  );
  const vnet = read.vnet;
  // network.vnet refuses a plan without a VNet, so it is there; the check keeps the types honest.
  if (!vnet || !read.facts.vnetId)
    throw new VnodesError('The cluster VNet was not found.', { code: 'VNODES_VNET_UNUSABLE' });
  const result = (subnet: Subnet, request?: RecordedRequest, dryRun = false): SubnetCreateResult => ({
    action: PAST[plan.action],
    dryRun,
    cluster: options.cluster,
    resourceGroup: options.resourceGroup,
    vnet: {
      id: read.facts.vnetId!,
      name: vnet.name,
      resourceGroup: vnet.resourceGroup,
      managed: read.facts.vnetManaged,
      addressSpace: vnetAddressSpace(read.facts.vnet),
    },
    subnet: {
      id: subnet.id ?? `${read.facts.vnetId}/subnets/${name}`,
      name: subnet.name ?? name,
      addressPrefixes: subnetPrefixes(subnet),
      delegations: (subnet.delegations ?? []).map((d) => d.serviceName ?? '?'),
      ...(subnet.provisioningState ? { provisioningState: subnet.provisioningState } : {}),
    },
    cidr: plan.cidr,
    cidrSource: plan.cidrSource,
    usableAddresses: usable(plan.cidr),
    reason: plan.reason,
    ...(request ? { request } : {}),
    warnings: plan.warnings,
  });
  if (plan.action === 'unchanged') return result(plan.subnet);

  const azure = await deps.azure();
  const what =
    plan.action === 'create'
      ? `create subnet ${name} (${plan.cidr})`
      : `add the ${ACI_DELEGATION} delegation to subnet ${name} (${plan.cidr})`;
  const where = `in VNet ${vnet.name} (resource group ${vnet.resourceGroup})`;

  const put = (dryRun: boolean, onProgress?: (status: string) => void) =>
    putSubnet(azure, vnet, name, plan.subnet, {
      dryRun,
      what,
      signal: deps.signal,
      ...(plan.condition ? { headers: plan.condition } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
  if (options.dryRun) {
    const { request } = await put(true);
    return result(plan.subnet, request, true);
  }
  const sameAsAgreed = options.agreed?.action === plan.action && options.agreed.cidr === plan.cidr;
  if (sameAsAgreed) deps.reporter.debug(`re-sending the ${plan.action} of subnet ${name} after a 412`);
  else if (options.consent) await options.consent();
  else await deps.consent.confirm(`${what} ${where}`, { dryRun: false });
  throwIfAborted(deps.signal);
  const label =
    plan.action === 'create'
      ? `Creating subnet ${name} (${plan.cidr}) ${where}`
      : `Delegating subnet ${name} to ${ACI_DELEGATION}`;
  try {
    const { request, result: subnet } = await deps.reporter.step(label, (update) => put(false, update));
    return result(subnet ?? plan.subnet, request);
  } catch (error) {
    // Network shares one ETag across a VNet and its subnets, so a change to any sibling fails our If-Match: read
    // again and decide afresh (which may now be "unchanged", or a new plan that needs consent of its own).
    const attempt = options.agreed?.attempt ?? 0;
    if (error instanceof AzureError && error.arm.statusCode === 412 && attempt < ETAG_RETRIES) {
      deps.reporter.warn(
        `The VNet of subnet ${name} changed while vnodes was writing it (412); reading it again (${attempt + 1}/${ETAG_RETRIES}).`,
      );
      const { read: _stale, checked: _staleChecks, ...rest } = options;
      return subnetCreate({ ...rest, agreed: { action: plan.action, cidr: plan.cidr, attempt: attempt + 1 } }, deps);
    }
    throw explain(error, name);
  }
}

// A write that failed still leaves Azure in a state the next run reads and finishes; say so, or say who raced us.
function explain(error: unknown, name: string): unknown {
  if (!(error instanceof AzureError) || error.remediation) return error;
  const remediation =
    error.arm.statusCode === 412
      ? `Subnet ${name} changed after vnodes read it (someone else wrote it). Re-run: vnodes reads it again and decides afresh.`
      : 'Re-run the same command: vnodes reads the subnet as Azure left it and finishes the job (a Failed subnet is sent again).';
  return new AzureError(error.message, error.arm, {
    code: error.code,
    remediation,
    details: error.details,
    cause: error,
  });
}
