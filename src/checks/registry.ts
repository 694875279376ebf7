// Every check vnodes has, in one list, areas in dependency order: a check only ever requires one before it
// (validateRegistry, run in the unit tests, says so). Commands pick from here by area or tag.
import { cloudChecks } from './cloud.js';
import type { AnyCheck } from './engine.js';
import { networkChecks } from './network/index.js';
import { perRegionChecks, providerChecks } from './region.js';

/** The areas, in the order their checks run and are shown. */
export const AREAS = ['cloud', 'region', 'network'] as const;

/** Every check. */
export const CHECKS: readonly AnyCheck[] = [...cloudChecks, ...providerChecks, ...perRegionChecks, ...networkChecks];

/** The checks of an area, or with a tag (`per-region`), in registry order. */
export function checksWhere(filter: { area?: (typeof AREAS)[number]; tag?: string }): AnyCheck[] {
  return CHECKS.filter((c) => (!filter.area || c.area === filter.area) && (!filter.tag || c.tags.includes(filter.tag)));
}
