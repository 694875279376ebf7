// Deciding what `subnet create` does, from facts already read: create, add the delegation, nothing, or refuse.
// Pure (no I/O), and built on the network checks, so a refusal says exactly what `check-network` would say.
import type { Subnet } from '@azure/arm-network';
import { runChecks } from '../checks/engine.js';
import { createFactsContext } from '../checks/facts.js';
import type { CheckResult } from '../checks/model.js';
import { checksWhere } from '../checks/registry.js';
import { ExitCode, VnodesError } from '../errors.js';
import { isIpv6, toIpv4Network } from '../network/cidr.js';
import {
  ACI_DELEGATION,
  findSubnet,
  subnetPrefixes,
  takenRanges,
  vnetAddressSpace,
  type NetworkFacts,
} from '../network/facts.js';
import { planSubnetCidr } from '../network/plan.js';

/** The delegation's name, as the ACI connector and Terraform's examples name it. */
const ACI_DELEGATION_NAME = 'aciDelegation';

/** What the command asked for. */
export interface SubnetRequest {
  name: string;
  /** Canonical IPv4 CIDR (already validated), or undefined to plan one. */
  cidr?: string;
  prefixLength: number;
}

/** The decision: what to PUT (and with which precondition), or why nothing needs doing. */
export interface SubnetPlan {
  action: 'create' | 'update' | 'unchanged';
  /** The PUT body for create/update (the full subnet: everything it had, plus the delegation); the subnet as found when unchanged. */
  subnet: Subnet;
  cidr: string;
  cidrSource: 'given' | 'planned' | 'existing';
  reason: string;
  /** Optimistic concurrency for the PUT: If-Match the etag read (update), If-None-Match * (create). */
  condition?: { 'if-match': string } | { 'if-none-match': '*' };
  /** Warnings, and cluster-level failures that do not stop the subnet, judged on the subnet as it will be. */
  warnings: CheckResult[];
}

/** Checks whose failure means vnodes must not touch (or create) the subnet, with the error code each gives. */
const REFUSALS: Record<string, string> = {
  'network.vnet': 'VNODES_VNET_UNUSABLE',
  'network.subnet-not-node': 'VNODES_SUBNET_IN_USE',
  'network.subnet-dedicated': 'VNODES_SUBNET_IN_USE',
  'network.subnet-route-table': 'VNODES_SUBNET_ROUTE_TABLE',
  'network.subnet-delegation': 'VNODES_SUBNET_DELEGATED_ELSEWHERE',
  'network.cidr-in-address-space': 'VNODES_CIDR_OUTSIDE_VNET',
  'network.cidr-overlap': 'VNODES_CIDR_OVERLAP',
  'network.cidr-subnet-match': 'VNODES_SUBNET_CIDR_MISMATCH',
  'network.subnet-free-range': 'VNODES_VNET_FULL',
};

const isAci = (service: string | undefined) => service?.toLowerCase() === ACI_DELEGATION.toLowerCase();
const aciDelegation = { name: ACI_DELEGATION_NAME, serviceName: ACI_DELEGATION };

function refusal(blocking: CheckResult[]): VnodesError {
  const [first, ...rest] = blocking as [CheckResult, ...CheckResult[]];
  const evidence = first.evidence
    .filter((e) => e.value !== null)
    .map((e) => `${e.field}: ${Array.isArray(e.value) ? e.value.join(', ') : String(e.value)}`);
  return new VnodesError(`${first.summary} vnodes changed nothing.`, {
    code: REFUSALS[first.id] ?? 'VNODES_SUBNET_REFUSED',
    exitCode: ExitCode.failed,
    ...(first.remediation ? { remediation: first.remediation } : {}),
    details: [...evidence, ...rest.map((c) => `also: ${c.summary}`)],
  });
}

const firstIpv4 = (subnet: Subnet) => subnetPrefixes(subnet).flatMap((p) => toIpv4Network(p)?.cidr ?? [])[0];

const runNetworkChecks = (facts: NetworkFacts) =>
  runChecks(checksWhere({ area: 'network' }), createFactsContext({}, { network: facts }));
const problems = (checks: readonly CheckResult[]) => checks.filter((c) => c.status === 'warn' || c.status === 'fail');

/**
 * Decides, or throws a VnodesError (exit 1) saying why vnodes will not touch the subnet. `checked` are the network
 * checks already run on these very facts (enable's preflight): they are used as they are, so each check runs once.
 */
export async function planSubnet(
  facts: NetworkFacts,
  request: SubnetRequest,
  checked?: readonly CheckResult[],
): Promise<SubnetPlan> {
  const f: NetworkFacts = { ...facts, subnetName: request.name, prefixLength: request.prefixLength };
  if (request.cidr !== undefined) f.cidr = request.cidr;
  else delete f.cidr;
  if (facts.subnetName?.toLowerCase() !== request.name.toLowerCase()) delete f.subnet;
  const before = checked ?? (await runNetworkChecks(f));
  const blocking = before.filter((c) => c.status === 'fail' && REFUSALS[c.id] !== undefined);
  if (blocking.length) throw refusal(blocking);

  const existing = findSubnet(f);
  const plan = existing ? planExisting(existing, request) : planNew(f, request);
  // Judged on the subnet as it will be; the caller that has shown its checks already needs no second run.
  const warnings = checked ? problems(checked) : problems(await runNetworkChecks({ ...f, subnet: plan.subnet }));
  return { ...plan, warnings };
}

function planNew(f: NetworkFacts, request: SubnetRequest): Omit<SubnetPlan, 'warnings'> {
  let cidr = request.cidr;
  if (cidr === undefined) {
    const planned = planSubnetCidr({
      addressSpace: vnetAddressSpace(f.vnet),
      taken: takenRanges(f),
      prefixLength: request.prefixLength,
    });
    // network.subnet-free-range already refused a VNet without room, so a block is there.
    if (!('cidr' in planned)) throw new VnodesError(planned.message, { code: 'VNODES_VNET_FULL' });
    cidr = planned.cidr;
  }
  return {
    action: 'create',
    subnet: { name: request.name, addressPrefix: cidr, delegations: [aciDelegation] },
    cidr,
    cidrSource: request.cidr === undefined ? 'planned' : 'given',
    reason: `no subnet ${request.name} in the VNet yet`,
    condition: { 'if-none-match': '*' },
  };
}

function planExisting(subnet: Subnet, request: SubnetRequest): Omit<SubnetPlan, 'warnings'> {
  const v6 = subnetPrefixes(subnet).filter(isIpv6);
  if (v6.length) {
    throw new VnodesError(
      `Subnet ${request.name} has IPv6 prefixes (${v6.join(', ')}); ACI container groups support IPv4 only. vnodes changed nothing.`,
      {
        code: 'VNODES_SUBNET_IPV6',
        remediation: 'Use a subnet with only an IPv4 prefix: pass another --name and vnodes creates it.',
      },
    );
  }
  const cidr = firstIpv4(subnet) ?? request.cidr ?? '';
  const cidrSource = request.cidr === undefined ? 'existing' : 'given';
  const condition = subnet.etag ? { condition: { 'if-match': subnet.etag } as const } : {};
  if ((subnet.delegations ?? []).some((d) => isAci(d.serviceName))) {
    // A write that failed half-way leaves the subnet Failed; ARM's remedy is to send the same PUT again.
    if (subnet.provisioningState?.toLowerCase() === 'failed') {
      return {
        action: 'update',
        subnet,
        cidr,
        cidrSource,
        reason: 'Azure left the subnet Failed after the last write; sending it again',
        ...condition,
      };
    }
    return { action: 'unchanged', subnet, cidr, cidrSource, reason: `already delegated to ${ACI_DELEGATION}` };
  }
  return {
    action: 'update',
    subnet: { ...subnet, delegations: [...(subnet.delegations ?? []), aciDelegation] },
    cidr,
    cidrSource,
    reason: 'the subnet exists, empty and not delegated',
    ...condition,
  };
}
