import { describe, expect, it } from 'vitest';
import {
  assertPrefixLength,
  checkCidr,
  DEFAULT_SUBNET_PREFIX_LENGTH,
  planSubnetCidr,
  PREFIX_LENGTH_RANGE,
  type TakenRange,
} from '../../src/network/plan.js';
import { usableForPrefixLength } from '../../src/network/cidr.js';
import { UsageError } from '../../src/errors.js';

const t = (name: string, cidr: string): TakenRange => ({ name, cidr });
const svc = [t('the service CIDR', '10.0.0.0/16'), t('the DNS service IP', '10.0.0.10')];

describe('planSubnetCidr', () => {
  it.each<[string, string[], TakenRange[], number, string]>([
    ['empty VNet: the first block', ['10.0.0.0/16'], [], 24, '10.0.0.0/24'],
    ['after one subnet', ['10.0.0.0/16'], [t('aks-subnet', '10.0.0.0/24')], 24, '10.0.1.0/24'],
    ['a gap between subnets', ['10.0.0.0/16'], [t('a', '10.0.0.0/24'), t('c', '10.0.2.0/24')], 24, '10.0.1.0/24'],
    ['taken list out of order', ['10.0.0.0/16'], [t('c', '10.0.1.0/24'), t('a', '10.0.0.0/24')], 24, '10.0.2.0/24'],
    ['a large subnet pushes past it', ['10.0.0.0/8'], [t('aks-subnet', '10.0.0.0/16')], 24, '10.1.0.0/24'],
    [
      'docs layout (10.0.0.0/8, aks 10.240/16)',
      ['10.0.0.0/8'],
      [t('aks-subnet', '10.240.0.0/16'), ...svc],
      16,
      '10.1.0.0/16',
    ],
    ['unaligned gap: /23 space, /25 taken, /24 asked', ['10.0.0.0/23'], [t('small', '10.0.0.0/25')], 24, '10.0.1.0/24'],
    ['unaligned gap: /25 free after a /26', ['10.0.0.0/24'], [t('x', '10.0.0.64/26')], 25, '10.0.0.128/25'],
    ['a smaller block fits the gap before a subnet', ['10.0.0.0/24'], [t('x', '10.0.0.128/25')], 26, '10.0.0.0/26'],
    [
      'exact fit: the last block',
      ['10.0.0.0/24'],
      [t('a', '10.0.0.0/25'), t('b', '10.0.0.128/26')],
      26,
      '10.0.0.192/26',
    ],
    ['exact fit: space equals the block', ['10.9.0.0/24'], [], 24, '10.9.0.0/24'],
    ['service CIDR inside the VNet is skipped', ['10.0.0.0/8'], svc, 24, '10.1.0.0/24'],
    ['DNS IP alone blocks its /24', ['10.0.0.0/16'], [t('the DNS service IP', '10.0.0.10')], 24, '10.0.1.0/24'],
    ['DNS IP blocks only its own /28', ['10.0.0.0/24'], [t('the DNS service IP', '10.0.0.10')], 28, '10.0.0.16/28'],
    ['pod CIDR is skipped', ['10.244.0.0/15'], [t('the pod CIDR', '10.244.0.0/16')], 24, '10.245.0.0/24'],
    [
      'second address-space prefix when the first is full',
      ['10.0.0.0/24', '10.1.0.0/16'],
      [t('a', '10.0.0.0/24')],
      24,
      '10.1.0.0/24',
    ],
    ['second prefix when the first is too small', ['10.0.0.0/29', '172.16.0.0/16'], [], 24, '172.16.0.0/24'],
    ['prefixes are tried in the given order', ['192.168.0.0/16', '10.0.0.0/16'], [], 24, '192.168.0.0/24'],
    ['IPv6 prefixes in the address space are ignored', ['fd00:db8::/48', '10.0.0.0/16'], [], 24, '10.0.0.0/24'],
    [
      'IPv6 taken ranges are ignored',
      ['10.0.0.0/16'],
      [t('dual', 'fd00:db8::/64'), t('a', '10.0.0.0/24')],
      24,
      '10.0.1.0/24',
    ],
    [
      'a subnet with several prefixes',
      ['10.0.0.0/16'],
      [t('multi', '10.0.0.0/24'), t('multi', '10.0.1.0/24')],
      24,
      '10.0.2.0/24',
    ],
    [
      'a taken range wider than the space skips that prefix',
      ['10.0.0.0/16', '10.2.0.0/16'],
      [t('peer', '10.0.0.0/15'), t('b', '10.2.0.0/24')],
      24,
      '10.2.1.0/24',
    ],
    ['taken ranges outside the space do not matter', ['10.0.0.0/16'], [t('far', '192.168.0.0/16')], 16, '10.0.0.0/16'],
    ['address space written with host bits', ['10.0.0.5/16'], [], 24, '10.0.0.0/24'],
  ])('%s', (_label, addressSpace, taken, prefixLength, cidr) => {
    expect(planSubnetCidr({ addressSpace, taken, prefixLength })).toMatchObject({ cidr });
  });

  it('reports which address-space prefix the block came from', () => {
    const plan = planSubnetCidr({
      addressSpace: ['10.0.0.0/24', '10.1.0.0/16'],
      taken: [t('a', '10.0.0.0/24')],
      prefixLength: 24,
    });
    expect(plan).toEqual({ cidr: '10.1.0.0/24', addressSpacePrefix: '10.1.0.0/16' });
  });

  it.each<[string, string[], TakenRange[], number, number | undefined, string]>([
    [
      'a full VNet',
      ['10.0.0.0/16'],
      [t('aks-subnet', '10.0.0.0/16')],
      24,
      undefined,
      'No free /24 in the VNet address space (10.0.0.0/16)',
    ],
    ['a /29 VNet', ['10.0.0.0/29'], [], 24, undefined, 'add an IPv4 address prefix to the VNet'],
    [
      'a smaller block would fit',
      ['10.0.0.0/24'],
      [t('a', '10.0.0.0/25')],
      24,
      25,
      'a /25 would fit (--prefix-length 25)',
    ],
    [
      'only a /28 fits',
      ['10.0.0.0/24'],
      [t('a', '10.0.0.0/25'), t('b', '10.0.0.128/26'), t('c', '10.0.0.192/27'), t('d', '10.0.0.224/28')],
      26,
      28,
      '/28',
    ],
    ['IPv6-only address space', ['fd00:db8::/48'], [], 24, undefined, 'it has no IPv4 address prefix'],
    ['no address space at all', [], [], 24, undefined, 'no IPv4 address prefix'],
    ['service CIDR covers the VNet', ['10.0.0.0/16'], svc, 24, undefined, 'No free /24'],
  ])('no-free-range: %s', (_label, addressSpace, taken, prefixLength, fits, message) => {
    const plan = planSubnetCidr({ addressSpace, taken, prefixLength });
    expect(plan).toMatchObject({ error: 'no-free-range', prefixLength });
    if (!('error' in plan)) return;
    expect(plan.fitsPrefixLength).toBe(fits);
    expect(plan.message).toContain(message);
  });

  it('stays quick on a /8 with many subnets (skips past each, no block-by-block walk)', () => {
    const taken = Array.from({ length: 2000 }, (_, i) => t(`s${i}`, `10.${Math.floor(i / 256)}.${i % 256}.0/24`));
    const started = performance.now();
    expect(planSubnetCidr({ addressSpace: ['10.0.0.0/8'], taken, prefixLength: 16 })).toMatchObject({
      cidr: '10.8.0.0/16',
    });
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('rejects a prefix length outside the range', () => {
    expect(() => planSubnetCidr({ addressSpace: ['10.0.0.0/8'], taken: [], prefixLength: 8 })).toThrow(UsageError);
  });
});

describe('prefix lengths', () => {
  it('defaults to /24: 251 usable addresses', () => {
    expect(DEFAULT_SUBNET_PREFIX_LENGTH).toBe(24);
    expect(usableForPrefixLength(DEFAULT_SUBNET_PREFIX_LENGTH)).toBe(251);
    expect(usableForPrefixLength(PREFIX_LENGTH_RANGE.max)).toBe(11);
  });

  it.each([[16], [24], [28], ['20']])('accepts %j', (value) => expect(assertPrefixLength(value)).toBe(Number(value)));

  it.each([[15], [29], [32], [24.5], ['x'], [Number.NaN]])('rejects %j with a usage error naming it', (value) => {
    expect(() => assertPrefixLength(value)).toThrow(UsageError);
    expect(() => assertPrefixLength(value)).toThrow(
      `Invalid --prefix-length "${value}": must be a whole number from 16 to 28.`,
    );
  });
});

describe('checkCidr', () => {
  const input = {
    addressSpace: ['10.0.0.0/8', 'fd00:db8::/48'],
    taken: [t('aks-subnet', '10.240.0.0/16'), ...svc, t('dual', 'fd00:db8::/64')],
  };

  it.each<[string, boolean, string[]]>([
    ['10.241.0.0/24', true, []],
    ['10.241.0.0/16', true, []],
    ['10.240.5.0/24', true, ['overlaps aks-subnet (10.240.0.0/16)']],
    ['10.0.0.0/24', true, ['overlaps the service CIDR (10.0.0.0/16)', 'contains the DNS service IP (10.0.0.10)']],
    ['10.0.1.0/24', true, ['overlaps the service CIDR (10.0.0.0/16)']],
    ['10.0.0.0/12', true, ['overlaps the service CIDR (10.0.0.0/16)', 'contains the DNS service IP (10.0.0.10)']],
    ['192.168.0.0/24', false, []],
    [
      '8.0.0.0/6',
      false,
      [
        'overlaps aks-subnet (10.240.0.0/16)',
        'overlaps the service CIDR (10.0.0.0/16)',
        'contains the DNS service IP (10.0.0.10)',
      ],
    ],
  ])('%s: inside=%s', (cidr, inside, conflicts) => {
    const result = checkCidr(cidr, input);
    expect(result.insideAddressSpace).toBe(inside);
    expect(result.conflicts.map((c) => c.message)).toEqual(conflicts);
  });

  it('names the holding prefix and canonicalises the CIDR', () => {
    expect(checkCidr(' 10.241.0.0/24', input)).toEqual({
      cidr: '10.241.0.0/24',
      insideAddressSpace: true,
      addressSpacePrefix: '10.0.0.0/8',
      conflicts: [],
    });
  });

  it('is outside when it only partly overlaps a prefix', () => {
    expect(checkCidr('10.0.0.0/23', { addressSpace: ['10.0.0.0/24'], taken: [] }).insideAddressSpace).toBe(false);
  });

  it.each([['10.0.0.1/24'], ['fd00::/64'], ['nope']])('throws a UsageError for %j', (cidr) => {
    expect(() => checkCidr(cidr, input)).toThrow(UsageError);
  });
});
