// Choosing and vetting the ACI subnet's range: first fit over the VNet address space, avoiding every range the
// cluster already routes (subnets, service CIDR, DNS service IP, pod CIDR, peered VNets).
import { UsageError } from '../errors.js';
import { blockAtOrAfter, contains, overlaps, parseCidrOrThrow, toIpv4Network, type Ipv4Network } from './cidr.js';

/**
 * Default size of a subnet vnodes creates. ACI gives each container group (one pod) one address, so a /24
 * (256 - 5 reserved = 251 pods) is a sensible ceiling for one virtual node without eating a VNet; it is also the
 * size Terraform's virtual-node example uses (the AKS docs use a /16). /28 (11 pods) is the smallest we suggest.
 */
export const DEFAULT_SUBNET_PREFIX_LENGTH = 24;

/**
 * Accepted `--prefix-length` values. /16 is what the AKS docs use for the virtual-node subnet (anything wider
 * passes ACI's guidance of at most 3,000 container groups per subnet); /28 leaves 11 usable addresses, below which
 * a virtual node is hardly worth having (Azure's own floor is /29, 3 usable).
 */
export const PREFIX_LENGTH_RANGE = { min: 16, max: 28 } as const;

/** A range already in use in or around the VNet, named for messages ("aks-subnet", "service CIDR"). */
export interface TakenRange {
  name: string;
  cidr: string;
}

/** What the planner and the CIDR check read: the VNet address space (in order) and the ranges in use. */
export interface PlanInput {
  addressSpace: string[];
  taken: TakenRange[];
}

/** A request for a free block of `prefixLength`. */
export interface PlanRequest extends PlanInput {
  prefixLength: number;
}

/** The planner's answer: the block to use and the address-space prefix it came from, or why there is none. */
export type PlanResult =
  | { cidr: string; addressSpacePrefix: string }
  | {
      error: 'no-free-range';
      message: string;
      prefixLength: number;
      /** The longest-block prefix length (within PREFIX_LENGTH_RANGE) that would still fit, if any. */
      fitsPrefixLength?: number;
    };

/** One range a CIDR collides with, and the phrase to show ("overlaps aks-subnet (10.240.0.0/16)"). */
export interface CidrConflict {
  name: string;
  cidr: string;
  message: string;
}

/** Verdict on a given CIDR: canonical form, whether a VNet prefix holds it, and what it overlaps. */
export interface CidrCheck {
  cidr: string;
  insideAddressSpace: boolean;
  addressSpacePrefix?: string;
  conflicts: CidrConflict[];
}

interface Taken {
  name: string;
  network: Ipv4Network;
}

/** Throws a UsageError unless `value` is a whole number within PREFIX_LENGTH_RANGE. */
export function assertPrefixLength(value: number | string): number {
  const n = Number(value);
  const { min, max } = PREFIX_LENGTH_RANGE;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      `Invalid --prefix-length "${value}": must be a whole number from ${min} to ${max}.`,
      `Use --prefix-length ${DEFAULT_SUBNET_PREFIX_LENGTH} (251 usable addresses), or choose the range with --cidr.`,
      'VNODES_INVALID_PREFIX_LENGTH',
    );
  }
  return n;
}

// IPv6 prefixes and unreadable values are skipped, not errors: a dual-stack VNet still has IPv4 room for ACI.
function ipv4Space(addressSpace: readonly string[]): Ipv4Network[] {
  return addressSpace.flatMap((p) => toIpv4Network(p) ?? []);
}

function ipv4Taken(taken: readonly TakenRange[]): Taken[] {
  return taken.flatMap((t) => {
    const network = toIpv4Network(t.cidr);
    return network ? [{ name: t.name, network }] : [];
  });
}

// First fit: walk aligned blocks from the start of the prefix; on a collision, jump past the end of the colliding
// range that reaches furthest, so a /8 with a few subnets takes a handful of steps, not a million.
function firstFree(space: Ipv4Network, prefixLength: number, taken: readonly Taken[]): Ipv4Network | undefined {
  if (space.prefixLength > prefixLength) return undefined;
  let candidate = blockAtOrAfter(space.first, prefixLength);
  while (candidate && candidate.last <= space.last) {
    const block = candidate;
    const ends = taken.filter((t) => overlaps(t.network, block)).map((t) => t.network.last);
    if (!ends.length) return block;
    candidate = blockAtOrAfter(ends.reduce((a, b) => (b > a ? b : a)) + 1n, prefixLength);
  }
  return undefined;
}

/** Picks the first free aligned block of the requested size inside the VNet address space (prefixes in order). */
export function planSubnetCidr(request: PlanRequest): PlanResult {
  const prefixLength = assertPrefixLength(request.prefixLength);
  const spaces = ipv4Space(request.addressSpace);
  const taken = ipv4Taken(request.taken);
  const find = (n: number) => {
    for (const space of spaces) {
      const block = firstFree(space, n, taken);
      if (block) return { cidr: block.cidr, addressSpacePrefix: space.cidr };
    }
    return undefined;
  };
  const found = find(prefixLength);
  if (found) return found;

  let fitsPrefixLength: number | undefined;
  for (let n = prefixLength + 1; n <= PREFIX_LENGTH_RANGE.max && fitsPrefixLength === undefined; n++) {
    if (find(n)) fitsPrefixLength = n;
  }
  const where = spaces.length
    ? `the VNet address space (${spaces.map((s) => s.cidr).join(', ')})`
    : 'the VNet: it has no IPv4 address prefix';
  const next = fitsPrefixLength
    ? `a /${fitsPrefixLength} would fit (--prefix-length ${fitsPrefixLength}), or add an address prefix to the VNet.`
    : 'add an IPv4 address prefix to the VNet, or free a range.';
  const message = `No free /${prefixLength} in ${where}; ${next}`;
  return { error: 'no-free-range', message, prefixLength, ...(fitsPrefixLength ? { fitsPrefixLength } : {}) };
}

// A single address (the DNS service IP) reads better as "contains" than as an overlap with a /32.
function conflictPhrase(t: Taken): string {
  if (t.network.prefixLength === 32) return `contains ${t.name} (${t.network.cidr.slice(0, -3)})`;
  return `overlaps ${t.name} (${t.network.cidr})`;
}

/** Vets a CIDR (throws a UsageError if it is not a valid IPv4 network): inside the address space, and what it overlaps. */
export function checkCidr(cidr: string, input: PlanInput): CidrCheck {
  const network = parseCidrOrThrow(cidr);
  const holder = ipv4Space(input.addressSpace).find((space) => contains(space, network));
  const conflicts = ipv4Taken(input.taken)
    .filter((t) => overlaps(t.network, network))
    .map((t) => ({ name: t.name, cidr: t.network.cidr, message: conflictPhrase(t) }));
  return {
    cidr: network.cidr,
    insideAddressSpace: holder !== undefined,
    ...(holder ? { addressSpacePrefix: holder.cidr } : {}),
    conflicts,
  };
}
