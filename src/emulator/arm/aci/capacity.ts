// What ACI counts against a subscription and a subnet: the region's quota (Location_ListUsage rows, which reflect
// the live container groups) and the subnet's addresses (one per group in it, Azure keeping five per subnet).
import type { UsageRow } from '../../scenario/model.js';
import { jsonList, jsonObject, propertiesOf } from '../context.js';
import { ArmError } from '../errors.js';
import { parsePrefix, prefixesOf } from '../handlers/address-prefixes.js';
import { normalizeLocation } from '../scope.js';
import type { Json, ResourceStore, StoredResource } from '../store.js';
import { groupRequests } from './rules.js';

export const GROUP_TYPE = 'Microsoft.ContainerInstance/containerGroups';

const list = jsonList;
const props = propertiesOf;

/** The subnet ids a container group body names (`properties.subnetIds[].id`). */
export const subnetIdsOf = (body: Json | undefined): string[] =>
  list(props(body).subnetIds).flatMap((s) => (typeof s.id === 'string' && s.id !== '' ? [s.id] : []));

/** Cores a group holds against StandardCores: its requests, rounded up to whole cores. */
const coresOf = (body: Json | undefined): number => Math.ceil(groupRequests(body).cpu);

/** What one stored group holds: quota in its subscription's region, an address in its subnets. */
interface Holding {
  region: string;
  cores: number;
  subnets: string[];
  ip: number | undefined;
}

const ipNumber = (text: string): number | undefined => {
  const parts = text.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255)
    ? ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!
    : undefined;
};
const ipText = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const regionKey = (subscriptionId: string, location: string): string => `${subscriptionId.toLowerCase()}|${location}`;

function holdingOf(g: StoredResource): Holding {
  const ip = jsonObject(props(g.body).ipAddress)?.ip;
  return {
    region: regionKey(g.id.split('/')[2] ?? '', normalizeLocation(String(g.body.location ?? ''))),
    cores: coresOf(g.body),
    subnets: subnetIdsOf(g.body).map((id) => id.toLowerCase()),
    ip: typeof ip === 'string' ? ipNumber(ip) : undefined,
  };
}

/**
 * Running totals of what the live groups hold, kept up to date from the store's change feed, so a create checks its
 * quota and finds an address without scanning every group (benchmarks create thousands).
 */
class AciIndex {
  private readonly held = new Map<string, Holding>();
  private readonly regions = new Map<string, { groups: number; cores: number }>();
  /** Subnet (lower-cased id) → group (lower-cased id) → its address there. */
  private readonly subnets = new Map<string, Map<string, number | undefined>>();

  constructor(private readonly store: ResourceStore) {
    for (const g of store.list(GROUP_TYPE, '')) this.add(g.id.toLowerCase(), holdingOf(g));
    store.onChange((id) => this.changed(id));
  }

  tally(subscriptionId: string, location: string): { groups: number; cores: number } {
    return this.regions.get(regionKey(subscriptionId, location)) ?? { groups: 0, cores: 0 };
  }

  /** The groups in a subnet other than `except`, with their addresses. */
  inSubnet(subnetId: string, except: string): { count: number; ips: number[] } {
    const groups = this.subnets.get(subnetId.toLowerCase()) ?? new Map<string, number | undefined>();
    const skip = except.toLowerCase();
    const ips: number[] = [];
    let count = 0;
    for (const [id, ip] of groups) {
      if (id === skip) continue;
      count += 1;
      if (ip !== undefined) ips.push(ip);
    }
    return { count, ips };
  }

  private changed(id: string): void {
    const key = id.toLowerCase();
    const old = this.held.get(key);
    const now = this.store.get(id);
    if (old === undefined && now?.type !== GROUP_TYPE) return;
    if (old !== undefined) this.remove(key, old);
    if (now !== undefined && now.type === GROUP_TYPE) this.add(key, holdingOf(now));
  }

  private add(key: string, h: Holding): void {
    this.held.set(key, h);
    const t = this.regions.get(h.region) ?? { groups: 0, cores: 0 };
    this.regions.set(h.region, { groups: t.groups + 1, cores: t.cores + h.cores });
    for (const s of h.subnets) {
      let groups = this.subnets.get(s);
      if (groups === undefined) this.subnets.set(s, (groups = new Map()));
      groups.set(key, h.ip);
    }
  }

  private remove(key: string, h: Holding): void {
    this.held.delete(key);
    const t = this.regions.get(h.region);
    if (t !== undefined) this.regions.set(h.region, { groups: t.groups - 1, cores: t.cores - h.cores });
    for (const s of h.subnets) this.subnets.get(s)?.delete(key);
  }
}

const indexes = new WeakMap<ResourceStore, AciIndex>();
const indexOf = (store: ResourceStore): AciIndex => {
  let index = indexes.get(store);
  if (index === undefined) indexes.set(store, (index = new AciIndex(store)));
  return index;
};

/** How many container groups are in a subnet now. */
export const groupsInSubnet = (store: ResourceStore, subnetId: string): number =>
  indexOf(store).inSubnet(subnetId, '').count;

/** The usage rows as Location_ListUsage answers them: the scenario's counts plus what the live groups hold. */
export function liveUsages(
  rows: readonly UsageRow[],
  store: ResourceStore,
  subscriptionId: string,
  location: string,
): UsageRow[] {
  const t = indexOf(store).tally(subscriptionId, location);
  const held: Record<string, number> = { ContainerGroups: t.groups, StandardCores: t.cores };
  return rows.map((r) => ({ ...r, currentValue: r.currentValue + (held[r.name.value] ?? 0) }));
}

/**
 * 400 ContainerGroupQuotaReached when creating the group (or growing it, `current` being what it is now) would pass
 * a limit, with ACI's text ("Resource type
 * 'Microsoft.ContainerInstance/containerGroups' container group quota 'StandardCores' exceeded in region 'eastus'.
 * Limit: '10', Usage: '10' Requested: '1'.").
 */
export function checkQuota(
  rows: readonly UsageRow[],
  store: ResourceStore,
  subscriptionId: string,
  location: string,
  body: Json,
  current?: Json,
): ArmError | undefined {
  const wanted: Record<string, number> = {
    ContainerGroups: current === undefined ? 1 : 0,
    StandardCores: coresOf(body) - (current === undefined ? 0 : coresOf(current)),
  };
  for (const row of liveUsages(rows, store, subscriptionId, location)) {
    const requested = wanted[row.name.value];
    if (requested === undefined || requested <= 0 || row.currentValue + requested <= row.limit) continue;
    return new ArmError(
      400,
      'ContainerGroupQuotaReached',
      `Resource type '${GROUP_TYPE}' container group quota '${row.name.value}' exceeded in region '${location}'. Limit: '${row.limit}', Usage: '${row.currentValue}' Requested: '${requested}'.`,
    );
  }
  return undefined;
}

/**
 * The private address a new group gets in the subnet (the first free one after Azure's reserved .0-.3), or 400
 * SubnetIsFull when none is left (Network's code and text: "Subnet S with address prefix P does not have enough
 * available IP addresses to satisfy the request for 1 IP addresses.").
 */
export function allocateAddress(store: ResourceStore, subnet: StoredResource, groupId: string): string | ArmError {
  const prefixes = prefixesOf(props(subnet.body))
    .map(parsePrefix)
    .flatMap((p) => ('family' in p && p.family === 4 ? [{ first: Number(p.first), last: Number(p.last) }] : []));
  const configs = list(props(subnet.body).ipConfigurations);
  const groups = indexOf(store).inSubnet(subnet.id, groupId);
  const used = new Set(groups.ips);
  for (const c of configs) {
    const ip = props(c).privateIPAddress;
    const n = typeof ip === 'string' ? ipNumber(ip) : undefined;
    if (n !== undefined) used.add(n);
  }
  // Azure keeps the first four addresses and the last one of every subnet.
  const usable = prefixes.reduce((n, p) => n + (p.last - p.first - 4), 0);
  if (configs.length + groups.count < usable) {
    for (const p of prefixes) {
      for (let a = p.first + 4; a < p.last; a++) if (!used.has(a)) return ipText(a);
    }
  }
  const name = String(subnet.body.name ?? subnet.id.split('/').pop());
  return new ArmError(
    400,
    'SubnetIsFull',
    `Subnet ${name} with address prefix ${prefixesOf(props(subnet.body)).join(', ')} does not have enough available IP addresses to satisfy the request for 1 IP addresses.`,
  );
}
