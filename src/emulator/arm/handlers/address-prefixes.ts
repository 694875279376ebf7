// Address prefixes the way Microsoft.Network reads them, IPv4 and IPv6. The emulator keeps its own parsing (on
// `ip-address`) rather than borrowing vnodes' network code, so a bug in vnodes cannot hide behind the same bug here.
import { Address4, Address6 } from 'ip-address';

/** A parsed prefix: its family, canonical network form and first/last address for overlap tests. */
export interface Prefix {
  text: string;
  family: 4 | 6;
  /** Network form with the prefix length ('10.0.0.0/24', 'fd00::/64'). */
  network: string;
  prefixLength: number;
  first: bigint;
  last: bigint;
}

/** Why a prefix string was rejected: not CIDR at all, or host bits set ('10.0.0.1/24'). */
export type PrefixProblem = { kind: 'format' } | { kind: 'host-bits'; network: string };

/** Parses 'a.b.c.d/n' or an IPv6 prefix; a bare address (no '/n') is a format error, as in Network RP. */
export function parsePrefix(text: string): Prefix | PrefixProblem {
  const value = text.trim();
  const slash = value.indexOf('/');
  if (slash < 0 || !/^\d{1,3}$/.test(value.slice(slash + 1))) return { kind: 'format' };
  const v6 = value.includes(':');
  if (v6 ? !Address6.isValid(value) : !Address4.isValid(value)) return { kind: 'format' };
  const parsed = v6 ? new Address6(value) : new Address4(value);
  if (parsed.subnetMask > (v6 ? 128 : 32)) return { kind: 'format' };
  const start = parsed.startAddress();
  const network = `${start.correctForm()}/${parsed.subnetMask}`;
  if (start.correctForm() !== parsed.correctForm()) return { kind: 'host-bits', network };
  return {
    text: value,
    family: v6 ? 6 : 4,
    network,
    prefixLength: parsed.subnetMask,
    first: start.bigInt(),
    last: parsed.endAddress().bigInt(),
  };
}

/** True when `b` lies within `a` (same family). */
export const within = (outer: Prefix, inner: Prefix): boolean =>
  outer.family === inner.family && outer.first <= inner.first && inner.last <= outer.last;

/** True when the two ranges share an address (same family). */
export const overlap = (a: Prefix, b: Prefix): boolean =>
  a.family === b.family && a.first <= b.last && b.first <= a.last;

/**
 * Subnet sizes Azure accepts: IPv4 /29 or larger (it keeps five addresses in every subnet), IPv6 exactly /64.
 * Anything else is NetcfgInvalidSubnet.
 */
export const validSubnetSize = (p: Prefix): boolean => (p.family === 4 ? p.prefixLength <= 29 : p.prefixLength === 64);

/** A subnet body's prefixes: `addressPrefixes` when non-empty, else `addressPrefix`. */
export function prefixesOf(properties: Record<string, unknown> | undefined): string[] {
  const many = properties?.addressPrefixes;
  if (Array.isArray(many) && many.length > 0) return many.map(String);
  return typeof properties?.addressPrefix === 'string' ? [properties.addressPrefix] : [];
}
