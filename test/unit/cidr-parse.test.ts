import { describe, expect, it } from 'vitest';
import {
  addressCount,
  blockAtOrAfter,
  contains,
  isIpv6,
  overlaps,
  parseCidr,
  parseCidrOrThrow,
  toIpv4Network,
  usableAddresses,
  usableForPrefixLength,
  type Ipv4Network,
} from '../../src/network/cidr.js';
import { UsageError } from '../../src/errors.js';

const net = (cidr: string): Ipv4Network => {
  const parsed = toIpv4Network(cidr);
  if (!parsed) throw new Error(`bad test input ${cidr}`);
  return parsed;
};

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/24', '10.0.0.0/24', 24],
    [' 10.241.0.0/16 ', '10.241.0.0/16', 16],
    ['0.0.0.0/0', '0.0.0.0/0', 0],
    ['192.168.1.7/32', '192.168.1.7/32', 32],
    ['172.16.0.0/12', '172.16.0.0/12', 12],
  ])('accepts %s', (text, cidr, prefixLength) => {
    const parsed = parseCidr(text);
    expect(parsed).toMatchObject({ ok: true, network: { cidr, prefixLength } });
  });

  it.each([
    ['10.0.0.0/33', 'bad-prefix', 'Invalid CIDR "10.0.0.0/33": prefix length must be 0-32 (e.g. 10.241.0.0/24).'],
    ['10.0.0.0/-1', 'bad-prefix', 'prefix length must be 0-32'],
    ['10.0.0.0/abc', 'bad-prefix', 'prefix length must be 0-32'],
    ['10.0.0.0/', 'bad-prefix', 'prefix length must be 0-32'],
    ['10.0.0.1/24', 'host-bits', 'Invalid CIDR "10.0.0.1/24": host bits are set; did you mean 10.0.0.0/24?'],
    ['10.240.7.0/16', 'host-bits', 'did you mean 10.240.0.0/16?'],
    ['fd00::/64', 'ipv6', 'ACI virtual nodes support IPv4 only'],
    ['2001:db8::1', 'ipv6', 'IPv4 only'],
    ['10.0.0.0', 'no-prefix', 'missing the prefix length; write it as 10.0.0.0/24'],
    ['10.0.0.256/24', 'bad-address', '"10.0.0.256" is not an IPv4 address'],
    ['10.0.0/8', 'bad-address', 'is not an IPv4 address'],
    ['010.0.0.0/8', 'bad-address', 'is not an IPv4 address'],
    ['10.0.0.0/8/8', 'bad-address', 'is not an IPv4 address'],
    ['aks-subnet', 'no-prefix', 'missing the prefix length'],
    ['', 'empty', 'give an IPv4 range such as 10.241.0.0/24'],
  ])('rejects %j as %s', (text, problem, message) => {
    const parsed = parseCidr(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem).toBe(problem);
    expect(parsed.message).toContain(message);
    expect(parsed.message).toContain(`"${text}"`);
    expect(parsed.message).not.toContain('\n');
  });

  it('throws a UsageError (exit 2) with a fix naming the flag', () => {
    expect(() => parseCidrOrThrow('10.0.0.1/24')).toThrow(UsageError);
    try {
      parseCidrOrThrow('fd00::/64', '--cidr');
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      const e = error as UsageError;
      expect(e.exitCode).toBe(2);
      expect(e.code).toBe('VNODES_INVALID_CIDR');
      expect(e.remediation).toContain('--cidr 10.241.0.0/24');
    }
    expect(parseCidrOrThrow('10.1.0.0/24').cidr).toBe('10.1.0.0/24');
  });
});

describe('toIpv4Network (ranges Azure already holds)', () => {
  it.each([
    ['10.0.0.10', '10.0.0.10/32'],
    ['10.0.0.1/24', '10.0.0.0/24'],
    ['10.224.0.0/12', '10.224.0.0/12'],
  ])('reads %s as %s', (text, cidr) => expect(toIpv4Network(text)?.cidr).toBe(cidr));

  it.each([['fd00::/48'], ['ace:cab:deca::/48'], ['nonsense'], [''], [undefined]])('skips %j', (text) =>
    expect(toIpv4Network(text)).toBeUndefined(),
  );

  it('tells IPv6 apart', () => {
    expect(isIpv6('fd00:db8:deca::/48')).toBe(true);
    expect(isIpv6('10.0.0.0/8')).toBe(false);
  });
});

describe('containment and overlap', () => {
  it.each([
    ['10.0.0.0/16', '10.0.1.0/24', true, true],
    ['10.0.1.0/24', '10.0.0.0/16', false, true],
    ['10.0.0.0/24', '10.0.1.0/24', false, false],
    ['10.0.0.0/24', '10.0.0.0/24', true, true],
    ['10.0.0.0/16', '10.0.0.10/32', true, true],
    ['10.0.0.0/25', '10.0.0.128/25', false, false],
    ['0.0.0.0/0', '255.255.255.255/32', true, true],
  ])('%s vs %s: contains=%s overlaps=%s', (a, b, inside, touching) => {
    expect(contains(net(a), net(b))).toBe(inside);
    expect(overlaps(net(a), net(b))).toBe(touching);
    expect(overlaps(net(b), net(a))).toBe(touching);
  });
});

describe('sizes', () => {
  it.each([
    ['10.0.0.0/16', 65536, 65531],
    ['10.0.0.0/24', 256, 251],
    ['10.0.0.0/28', 16, 11],
    ['10.0.0.0/29', 8, 3],
    ['10.0.0.0/30', 4, 0],
    ['10.0.0.0/32', 1, 0],
  ])('%s has %i addresses, %i usable', (cidr, count, usable) => {
    expect(addressCount(net(cidr))).toBe(count);
    expect(usableAddresses(net(cidr))).toBe(usable);
    expect(usableForPrefixLength(net(cidr).prefixLength)).toBe(usable);
  });
});

describe('blockAtOrAfter', () => {
  it.each([
    ['10.0.0.0', 24, '10.0.0.0/24'],
    ['10.0.0.128', 24, '10.0.1.0/24'],
    ['10.0.0.1', 25, '10.0.0.128/25'],
    ['10.0.255.255', 16, '10.1.0.0/16'],
  ])('from %s at /%i gives %s', (start, prefixLength, cidr) => {
    expect(blockAtOrAfter(net(start).first, prefixLength)?.cidr).toBe(cidr);
  });

  it('gives undefined past the end of the IPv4 space', () => {
    expect(blockAtOrAfter(net('255.255.255.1').first, 24)).toBeUndefined();
    expect(blockAtOrAfter(net('255.255.255.255').first + 1n, 24)).toBeUndefined();
  });
});
