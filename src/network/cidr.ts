// IPv4 CIDR parsing and arithmetic for the ACI subnet. The bit work (network address, last address, next
// block) is left to `ip-address`; this module only adds Azure's rules and messages a user can act on.
import { Address4, Address6 } from 'ip-address';
import { UsageError } from '../errors.js';

/** Addresses Azure keeps in every subnet: network, default gateway, two for Azure DNS, and broadcast. */
const AZURE_RESERVED_ADDRESSES = 5;

/** The range used in messages as an example of a good value (the docs' virtual-node subnet, at /24). */
export const EXAMPLE_CIDR = '10.241.0.0/24';

/** An IPv4 network in canonical form, with its first and last addresses as integers for ordering. */
export interface Ipv4Network {
  cidr: string;
  prefixLength: number;
  first: bigint;
  last: bigint;
}

/** Why a CIDR string was rejected. */
export type CidrProblem = 'empty' | 'ipv6' | 'no-prefix' | 'bad-prefix' | 'bad-address' | 'host-bits';

/** The outcome of a strict parse: the network, or the problem with a one-line message naming the value and the fix. */
export type CidrParse = { ok: true; network: Ipv4Network } | { ok: false; problem: CidrProblem; message: string };

function fromAddress(address: Address4): Ipv4Network {
  const start = address.startAddress();
  return {
    cidr: `${start.correctForm()}/${address.subnetMask}`,
    prefixLength: address.subnetMask,
    first: start.bigInt(),
    last: address.endAddress().bigInt(),
  };
}

function rejected(problem: CidrProblem, text: string, why: string): CidrParse {
  return { ok: false, problem, message: `Invalid CIDR "${text}": ${why}` };
}

/** True when the text is an IPv6 address or prefix, which ACI virtual nodes cannot use. */
export function isIpv6(text: string): boolean {
  return text.includes(':') && Address6.isValid(text.trim());
}

/**
 * Parses a CIDR the user typed. Strict where Azure would be: a prefix length is required and host bits must be
 * zero (ARM rejects `10.0.0.1/24` for a subnet with `InvalidCIDRNotation`), so we say so before any call.
 */
export function parseCidr(text: string): CidrParse {
  const value = text.trim();
  if (value === '') return rejected('empty', text, `give an IPv4 range such as ${EXAMPLE_CIDR}.`);
  if (isIpv6(value)) {
    return rejected('ipv6', text, `ACI virtual nodes support IPv4 only; give an IPv4 range such as ${EXAMPLE_CIDR}.`);
  }
  const parts = value.split('/');
  const [address, prefix] = parts;
  if (parts.length === 1) {
    return rejected('no-prefix', text, `missing the prefix length; write it as ${value}/24 or similar.`);
  }
  if (parts.length > 2 || address === undefined || !Address4.isValid(address)) {
    return rejected('bad-address', text, `"${address ?? value}" is not an IPv4 address (e.g. ${EXAMPLE_CIDR}).`);
  }
  if (prefix === undefined || !/^\d{1,2}$/.test(prefix) || Number(prefix) > 32) {
    return rejected('bad-prefix', text, `prefix length must be 0-32 (e.g. ${EXAMPLE_CIDR}).`);
  }
  const parsed = new Address4(`${address}/${Number(prefix)}`);
  const network = fromAddress(parsed);
  if (parsed.correctForm() !== parsed.startAddress().correctForm()) {
    return rejected('host-bits', text, `host bits are set; did you mean ${network.cidr}?`);
  }
  return { ok: true, network };
}

/** Parses a CIDR from the command line, throwing a UsageError (exit 2) with the message when it is not valid. */
export function parseCidrOrThrow(text: string, flag = '--cidr'): Ipv4Network {
  const parsed = parseCidr(text);
  if (parsed.ok) return parsed.network;
  const fix = `Pass ${flag} as an IPv4 network address with a prefix length, e.g. ${flag} ${EXAMPLE_CIDR}.`;
  throw new UsageError(parsed.message, fix, 'VNODES_INVALID_CIDR');
}

/**
 * Reads a range Azure already holds (a VNet prefix, a subnet, the service CIDR, the DNS service IP). Lenient on
 * purpose: a bare address becomes a /32, host bits are dropped. IPv6 and unreadable values give undefined, so
 * callers skip them instead of failing a whole plan over a dual-stack VNet.
 */
export function toIpv4Network(text: string | undefined): Ipv4Network | undefined {
  const value = text?.trim();
  if (!value || value.includes(':') || !Address4.isValid(value)) return undefined;
  return fromAddress(new Address4(value));
}

/** The aligned block of the given prefix length that starts at `first`, or at the next boundary after it. */
export function blockAtOrAfter(first: bigint, prefixLength: number): Ipv4Network | undefined {
  try {
    // fromBigInt throws past 255.255.255.255 and nextNetwork throws after the last block: nothing follows.
    const block = new Address4(`${Address4.fromBigInt(first).correctForm()}/${prefixLength}`);
    return fromAddress(block.startAddress().bigInt() === first ? block : block.nextNetwork());
  } catch {
    return undefined;
  }
}

/** True when every address of `inner` lies in `outer`. */
export function contains(outer: Ipv4Network, inner: Ipv4Network): boolean {
  return new Address4(inner.cidr).isInSubnet(new Address4(outer.cidr));
}

/** True when two networks share at least one address (for CIDR blocks: one contains the other). */
export function overlaps(a: Ipv4Network, b: Ipv4Network): boolean {
  return contains(a, b) || contains(b, a);
}

/** How many addresses the network spans. */
export function addressCount(network: Ipv4Network): number {
  return Number(network.last - network.first + 1n);
}

/** Addresses left for container groups once Azure takes its five (never negative: a /30 has none). */
export function usableAddresses(network: Ipv4Network): number {
  return Math.max(0, addressCount(network) - AZURE_RESERVED_ADDRESSES);
}

/** Usable addresses in any subnet of the given prefix length (a /24 has 251, a /28 has 11). */
export function usableForPrefixLength(prefixLength: number): number {
  return usableAddresses(fromAddress(new Address4(`0.0.0.0/${prefixLength}`)));
}
