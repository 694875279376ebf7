import { describe, expect, it } from 'vitest';
import { normalizeRegion, resolveRegions, suggestRegions } from '../../src/region/names.js';
import { UsageError } from '../../src/errors.js';

const known = ['eastus', 'eastus2', 'westus', 'westeurope', 'northeurope', 'southeastasia'];

describe('region names', () => {
  it.each([
    ['East US', 'eastus'],
    ['eastus', 'eastus'],
    ['EASTUS', 'eastus'],
    [' West Europe ', 'westeurope'],
    ['east-us-2', 'eastus2'],
  ])('normalises %j to %s', (input, want) => expect(normalizeRegion(input)).toBe(want));

  it('suggests the nearest names', () => {
    expect(suggestRegions('eastsu', known)[0]).toBe('eastus');
    expect(suggestRegions('west europa', known)).toContain('westeurope');
  });

  it('rejects an unknown region with suggestions, exit 2', () => {
    try {
      resolveRegions(['eastsu'], known);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).exitCode).toBe(2);
      expect((error as UsageError).remediation).toContain('--location eastus');
    }
  });

  it('dedupes spellings of one region', () => expect(resolveRegions(['East US', 'eastus'], known)).toEqual(['eastus']));
});
