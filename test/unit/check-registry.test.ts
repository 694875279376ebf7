import { describe, expect, it } from 'vitest';
import { validateRegistry } from '../../src/checks/engine.js';
import { AREAS, CHECKS, checksWhere } from '../../src/checks/registry.js';

describe('the check registry', () => {
  it('has unique area.name ids, each requirement before the check that needs it', () => {
    expect(validateRegistry(CHECKS)).toEqual([]);
  });

  it('lists the areas in dependency order, every check in one of them', () => {
    const order = CHECKS.map((c) => AREAS.indexOf(c.area as (typeof AREAS)[number]));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('keeps the ids scripts match on', () => {
    const ids = CHECKS.map((c) => c.id);
    for (const id of ['cloud.virtual-nodes', 'region.provider-registered', 'region.vnet', 'network.plugin'])
      expect(ids).toContain(id);
    expect(checksWhere({ area: 'network' })).toHaveLength(21);
  });
});
