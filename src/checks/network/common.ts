// Shared pieces of the network checks: result builders and the names that go into remediation commands, so every
// `az`/`vnodes` line a user copies has their real cluster, group, VNet and subnet in it.
import type { Subnet } from '@azure/arm-network';
import { findSubnet, type NetworkFacts } from '../../network/facts.js';
import { parseResourceId } from '../../network/ids.js';
import { defineCheck, outcome, type AnyCheck, type Outcome } from '../engine.js';

export { ev, outcome } from '../engine.js';

export type { Outcome };

/** A network check as written: metadata and a pure rule over the network facts. */
export interface NetworkRule {
  id: string;
  title: string;
  tags: readonly string[];
  docs?: string;
  requires?: readonly string[];
  run(facts: NetworkFacts): Outcome;
}

/** Makes a network rule a check of the engine: area `network`, reading the `network` fact. */
export function networkCheck(rule: NetworkRule): AnyCheck {
  const { run, ...meta } = rule;
  return defineCheck({ ...meta, area: 'network', facts: ['network'], run: ({ network }) => run(network) });
}

/** The virtual nodes article: requirements and limitations (Azure CNI, IPv4, authorized IPs, NSG egress). */
export const VIRTUAL_NODES_DOC = 'https://learn.microsoft.com/azure/aks/virtual-nodes';
/** ACI in a VNet: dedicated delegated subnet, NAT gateway egress, no inherited DNS. */
export const ACI_VNET_DOC =
  'https://learn.microsoft.com/azure/container-instances/container-instances-virtual-network-concepts';

/** Names to interpolate into commands, with placeholders where the facts do not say. */
export interface Names {
  cluster: string;
  resourceGroup: string;
  vnet: string;
  vnetResourceGroup: string;
  subnet: string;
  clusterId?: string;
}

/** Reads cluster, group, VNet and subnet names from the facts. */
export function names(facts: NetworkFacts): Names {
  const cluster = parseResourceId(facts.cluster.id ?? '');
  const vnet = parseResourceId(facts.vnetId ?? facts.vnet?.id ?? '');
  return {
    cluster: facts.cluster.name ?? cluster?.name ?? '<cluster>',
    resourceGroup: cluster?.resourceGroup ?? '<resource-group>',
    vnet: vnet?.name ?? facts.vnet?.name ?? '<vnet>',
    vnetResourceGroup: vnet?.resourceGroup ?? '<vnet-resource-group>',
    subnet: facts.subnetName ?? '<subnet>',
    ...(facts.cluster.id ? { clusterId: facts.cluster.id } : {}),
  };
}

/** `az network vnet subnet update` for the ACI subnet, with the extra flags appended. */
export function subnetUpdate(n: Names, flags: string): string {
  return `az network vnet subnet update -g ${n.vnetResourceGroup} --vnet-name ${n.vnet} -n ${n.subnet} ${flags}`;
}

/** The skip for checks that need the cluster VNet when it was not found. */
export const noVnet = (): Outcome => outcome('skip', 'The cluster VNet was not found (see network.vnet).');

/** `az network vnet update` that adds prefixes; the flag replaces the whole list, so the current ones are kept. */
export function vnetAddPrefixes(n: Names, current: readonly string[], added: readonly string[]): string {
  return `az network vnet update -g ${n.vnetResourceGroup} -n ${n.vnet} --address-prefixes ${[...current, ...added].join(' ')}`;
}

/** The ACI subnet and its id, or the skip outcome explaining why a subnet check does not apply. */
function aciSubnet(facts: NetworkFacts): { subnet: Subnet; source: string } | { skip: Outcome } {
  if (!facts.subnetName) {
    return { skip: outcome('skip', 'No ACI subnet named (--subnet-name), so there is no existing subnet to inspect.') };
  }
  const subnet = findSubnet(facts);
  if (!subnet && !facts.vnet) return { skip: noVnet() };
  if (!subnet) {
    return {
      skip: outcome('skip', `Subnet ${facts.subnetName} does not exist yet; \`vnodes subnet create\` will create it.`),
    };
  }
  const source = subnet.id ?? `${facts.vnetId ?? '<vnet>'}/subnets/${facts.subnetName}`;
  return { subnet, source };
}

/** What a check on the existing ACI subnet gets: the facts, the subnet, its id (for evidence) and command names. */
export interface SubnetContext {
  facts: NetworkFacts;
  subnet: Subnet;
  source: string;
  n: Names;
}

/**
 * Defines a check on the existing ACI subnet: it needs network.subnet-exists, and skips, saying why, when no subnet
 * is named or it does not exist yet.
 */
export function subnetCheck(def: Omit<NetworkRule, 'run'>, run: (ctx: SubnetContext) => Outcome): AnyCheck {
  return networkCheck({
    requires: ['network.subnet-exists'],
    ...def,
    run(facts) {
      const found = aciSubnet(facts);
      return 'skip' in found ? found.skip : run({ facts, ...found, n: names(facts) });
    },
  });
}

/** Joins a list for a sentence: "a, b and c". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
