// What ACI counts against a subscription and a subnet: the region's quota (Location_ListUsage rows, which reflect
// the live container groups) and the subnet's addresses (one per group in it, Azure keeping five per subnet).
import type { UsageRow } from '../../scenario/model.js';
import { jsonObject } from '../context.js';
import { ArmError } from '../errors.js';
import { parsePrefix, prefixesOf } from '../handlers/address-prefixes.js';
import { normalizeLocation } from '../scope.js';
import type { Json, ResourceStore, StoredResource } from '../store.js';
import { groupRequests } from './rules.js';

export const GROUP_TYPE = 'Microsoft.ContainerInstance/containerGroups';

const list = (value: unknown): Json[] =>
  Array.isArray(value) ? value.map((x) => jsonObject(x)).filter((x): x is Json => x !== undefined) : [];
const props = (body: Json | undefined): Json => jsonObject(body?.properties) ?? {};

/** The subnet ids a container group body names (`properties.subnetIds[].id`). */
export const subnetIdsOf = (body: Json | undefined): string[] =>
  list(props(body).subnetIds).flatMap((s) => (typeof s.id === 'string' && s.id !== '' ? [s.id] : []));

/** Cores a group holds against StandardCores: its requests, rounded up to whole cores. */
export const coresOf = (body: Json | undefined): number => Math.ceil(groupRequests(body).cpu);

/** The container groups of a subscription in a region, other than `except`. */
function groupsIn(store: ResourceStore, subscriptionId: string, location: string, except?: string): StoredResource[] {
  return store
    .list(GROUP_TYPE, `/subscriptions/${subscriptionId}`)
    .filter(
      (g) =>
        normalizeLocation(String(g.body.location ?? '')) === location && g.id.toLowerCase() !== except?.toLowerCase(),
    );
}

/** The usage rows as Location_ListUsage answers them: the scenario's counts plus what the live groups hold. */
export function liveUsages(
  rows: readonly UsageRow[],
  store: ResourceStore,
  subscriptionId: string,
  location: string,
): UsageRow[] {
  const groups = groupsIn(store, subscriptionId, location);
  const held: Record<string, number> = {
    ContainerGroups: groups.length,
    StandardCores: groups.reduce((sum, g) => sum + coresOf(g.body), 0),
  };
  return rows.map((r) => ({ ...r, currentValue: r.currentValue + (held[r.name.value] ?? 0) }));
}

/**
 * 400 ContainerGroupQuotaReached when creating the group would pass a limit, with ACI's text ("Resource type
 * 'Microsoft.ContainerInstance/containerGroups' container group quota 'StandardCores' exceeded in region 'eastus'.
 * Limit: '10', Usage: '10' Requested: '1'.").
 */
export function checkQuota(
  rows: readonly UsageRow[],
  store: ResourceStore,
  subscriptionId: string,
  location: string,
  body: Json,
): ArmError | undefined {
  const wanted: Record<string, number> = { ContainerGroups: 1, StandardCores: coresOf(body) };
  for (const row of liveUsages(rows, store, subscriptionId, location)) {
    const requested = wanted[row.name.value];
    if (requested === undefined || row.currentValue + requested <= row.limit) continue;
    return new ArmError(
      400,
      'ContainerGroupQuotaReached',
      `Resource type '${GROUP_TYPE}' container group quota '${row.name.value}' exceeded in region '${location}'. Limit: '${row.limit}', Usage: '${row.currentValue}' Requested: '${requested}'.`,
    );
  }
  return undefined;
}

const ipv4 = (n: bigint): string => [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');

/** Addresses in use in a subnet: its IP configurations' and its container groups' (other than `except`). */
function usedAddresses(
  store: ResourceStore,
  subnet: StoredResource,
  except: string,
): { count: number; ips: Set<string> } {
  const key = subnet.id.toLowerCase();
  const configs = list(props(subnet.body).ipConfigurations);
  const groups = store
    .list(GROUP_TYPE, '')
    .filter(
      (g) => g.id.toLowerCase() !== except.toLowerCase() && subnetIdsOf(g.body).some((id) => id.toLowerCase() === key),
    );
  const ips = new Set<string>();
  for (const c of configs)
    if (typeof props(c).privateIPAddress === 'string') ips.add(String(props(c).privateIPAddress));
  for (const g of groups) {
    const ip = jsonObject(props(g.body).ipAddress)?.ip;
    if (typeof ip === 'string') ips.add(ip);
  }
  return { count: configs.length + groups.length, ips };
}

/**
 * The private address a new group gets in the subnet (the first free one after Azure's reserved .0-.3), or 400
 * SubnetIsFull when none is left (Network's code and text: "Subnet S with address prefix P does not have enough
 * available IP addresses to satisfy the request for 1 IP addresses.").
 */
export function allocateAddress(store: ResourceStore, subnet: StoredResource, groupId: string): string | ArmError {
  const prefixes = prefixesOf(props(subnet.body))
    .map(parsePrefix)
    .filter((p) => 'family' in p && p.family === 4);
  const used = usedAddresses(store, subnet, groupId);
  // Azure keeps the first four addresses and the last one of every subnet.
  const usable = prefixes.reduce((n, p) => n + ('first' in p ? p.last - p.first - 4n : 0n), 0n);
  if (BigInt(used.count) < usable) {
    for (const p of prefixes) {
      if (!('first' in p)) continue;
      for (let a = p.first + 4n; a < p.last; a++) if (!used.ips.has(ipv4(a))) return ipv4(a);
    }
  }
  const name = String(subnet.body.name ?? subnet.id.split('/').pop());
  return new ArmError(
    400,
    'SubnetIsFull',
    `Subnet ${name} with address prefix ${prefixesOf(props(subnet.body)).join(', ')} does not have enough available IP addresses to satisfy the request for 1 IP addresses.`,
  );
}
