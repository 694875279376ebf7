import { describe, expect, it } from 'vitest';
import { FaultInjector, globToRegExp, parseFaults } from '../../src/emulator/faults.js';

describe('parseFaults', () => {
  it.each([
    ['429:x1', [{ kind: '429', first: 1 }]],
    ['500:0.25', [{ kind: '500', rate: 0.25 }]],
    [
      '503:1:GET */locations/*/capabilities',
      [{ kind: '503', rate: 1, method: 'GET', path: '*/locations/*/capabilities' }],
    ],
    ['drop:x2:PUT */subnets/*', [{ kind: 'drop', first: 2, method: 'PUT', path: '*/subnets/*' }]],
    ['lro-fail:x1:Subnets_CreateOrUpdate', [{ kind: 'lro-fail', first: 1, operation: 'Subnets_CreateOrUpdate' }]],
    ['lro-fail/NetcfgSubnetRangesOverlap:1', [{ kind: 'lro-fail', rate: 1, code: 'NetcfgSubnetRangesOverlap' }]],
    ['429/0:x3', [{ kind: '429', first: 3, retryAfterMs: 0 }]],
    ['429/250ms:x1', [{ kind: '429', first: 1, retryAfterMs: 250 }]],
    [
      '503/2:0.5:POST Providers_Register',
      [{ kind: '503', rate: 0.5, retryAfterMs: 2000, method: 'POST', operation: 'Providers_Register' }],
    ],
    ['500:1:get', [{ kind: '500', rate: 1, method: 'GET' }]],
    [
      '429:x1; 500:0 ;',
      [
        { kind: '429', first: 1 },
        { kind: '500', rate: 0 },
      ],
    ],
    ['', []],
  ])('%s', (spec, rules) => {
    expect(parseFaults(spec)).toEqual(rules);
  });

  it.each([
    ['404:1', /kind '404' is not one of/],
    ['429', /RATE is missing/],
    ['429:often', /rate 'often' is neither/],
    ['429:1.5', /rate '1.5' is neither/],
    ['drop/3:1', /takes no '\/' parameter/],
    ['429/soon:1', /retry-after 'soon'/],
    ['lro-fail/a b:1', /error code 'a b'/],
  ])('rejects %s with a one-line message', (spec, message) => {
    expect(() => parseFaults(spec)).toThrow(message);
    expect(() => parseFaults(spec)).toThrow(
      new RegExp(`^Bad fault rule '${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}'`),
    );
  });
});

describe('globToRegExp', () => {
  it.each([
    [
      '*/locations/*/capabilities',
      '/subscriptions/s/providers/Microsoft.ContainerInstance/locations/eastus/capabilities',
      true,
    ],
    ['*/SUBNETS/*', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/a', true],
    ['*/subnets/*', '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v', false],
    ['/subscriptions/?', '/subscriptions/x', false],
    ['*', '/anything/at/all', true],
  ])('%s ~ %s → %s', (glob, path, expected) => {
    expect(globToRegExp(glob).test(path)).toBe(expected);
  });
});

describe('FaultInjector', () => {
  const target = {
    method: 'GET',
    path: '/subscriptions/s/providers/Microsoft.ContainerInstance',
    operation: 'Providers_Get',
  };

  it('fires xN rules for the first N matching requests only', () => {
    const f = new FaultInjector(parseFaults('429:x2:Providers_Get'));
    expect([1, 2, 3].map(() => f.requestFault(target)?.kind)).toEqual(['429', '429', undefined]);
    expect(f.requestFault({ ...target, operation: 'Providers_List' })).toBeUndefined();
  });

  it('is deterministic for a seed and roughly honours the rate', () => {
    const run = (seed: number) => {
      const f = new FaultInjector(parseFaults('500:0.3'), seed);
      return Array.from({ length: 1000 }, () => f.requestFault(target) !== undefined);
    };
    expect(run(7)).toEqual(run(7));
    const hits = run(7).filter(Boolean).length;
    expect(hits).toBeGreaterThan(230);
    expect(hits).toBeLessThan(370);
  });

  it('keeps lro-fail apart from request faults and resets counters on set()', () => {
    const f = new FaultInjector(parseFaults('lro-fail:x1;drop:x1:PUT *'));
    expect(f.requestFault(target)).toBeUndefined();
    expect(f.lroFault(target)?.kind).toBe('lro-fail');
    expect(f.lroFault(target)).toBeUndefined();
    f.set(parseFaults('lro-fail:x1'));
    expect(f.lroFault(target)?.kind).toBe('lro-fail');
  });
});
