import { describe, expect, it } from 'vitest';
import { assertName, assertNotEmptyFlag, envValue, nameProblem, type NameKind } from '../../src/azure/names.js';
import { UsageError } from '../../src/errors.js';

const cases: [NameKind, string, RegExp | undefined][] = [
  ['cluster', 'aks-demo', undefined],
  ['cluster', 'a', undefined],
  ['cluster', 'Aks_1', undefined],
  ['cluster', 'x'.repeat(63), undefined],
  ['cluster', '', /empty/],
  ['cluster', '   ', /empty/],
  ['cluster', 'a/b', /path separator/],
  ['cluster', '../x', /path separator/],
  ['cluster', 'a\\b', /path separator/],
  ['cluster', 'x'.repeat(64), /64 characters/],
  ['cluster', 'x'.repeat(10_000), /10000 characters/],
  ['cluster', '-aks', /start/],
  ['cluster', 'aks-', /ending/],
  ['cluster', 'aks.demo', /letters, digits/],
  ['cluster', 'aks demo', /letters, digits/],
  ['cluster', 'aks%2fdemo', /letters, digits/],
  ['cluster', 'aks#1', /letters, digits/],
  ['resource group', 'rg-aks', undefined],
  ['resource group', 'RG.aks(1)_x', undefined],
  ['resource group', 'grupo-ñandú', undefined],
  ['resource group', 'x'.repeat(90), undefined],
  ['resource group', '', /empty/],
  ['resource group', 'rg.', /not ending/],
  ['resource group', '..', /not ending/],
  ['resource group', 'x'.repeat(91), /91 characters/],
  ['resource group', 'rg/aks', /path separator/],
  ['resource group', 'rg aks', /letters, digits/],
  ['resource group', 'rg?x', /letters, digits/],
];

describe('Azure name rules', () => {
  it.each(cases)('%s %j', (kind, value, problem) => {
    const found = nameProblem(kind, value);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });

  it('names the flag and the value, cuts long values, and suggests the last segment of an id', () => {
    expect(() => assertName('cluster', 'x'.repeat(10_000), '--cluster')).toThrow(
      /10000 characters\)" is not a valid cluster name/,
    );
    try {
      assertName(
        'cluster',
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1',
        '--cluster',
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).remediation).toContain('--cluster aks1');
      expect((error as UsageError).code).toBe('VNODES_INVALID_CLUSTER_NAME');
    }
  });

  it('refuses empty flags and treats empty environment variables as unset', () => {
    expect(() => assertNotEmptyFlag('', '--subscription', 'x')).toThrow(/--subscription is empty/);
    expect(assertNotEmptyFlag(undefined, '--subscription', 'x')).toBeUndefined();
    expect(envValue({ VNODES_CLOUD: '' }, 'VNODES_CLOUD')).toBeUndefined();
    expect(envValue({ VNODES_CLOUD: ' ' }, 'VNODES_CLOUD')).toBeUndefined();
    expect(envValue({ VNODES_CLOUD: 'AzureCloud' }, 'VNODES_CLOUD')).toBe('AzureCloud');
  });
});
