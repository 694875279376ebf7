// Every check vnodes has, in one list, areas in dependency order: a check only ever requires one before it
// (validateRegistry, run in the unit tests, says so). Commands pick from here by area or tag.
import { addonChecks } from './addon/index.js';
import { cloudChecks } from './cloud.js';
import { connectorChecks } from './connector/index.js';
import { dnsChecks } from './dns/index.js';
import type { AnyCheck } from './engine.js';
import { identityChecks } from './identity/index.js';
import { networkChecks } from './network/index.js';
import { nodeChecks } from './node/index.js';
import { orphanChecks } from './orphans/index.js';
import { podChecks } from './pods/index.js';
import { policyChecks } from './policy/index.js';
import { probeChecks } from './probe/index.js';
import { perRegionChecks, providerChecks } from './region.js';
import { stackChecks } from './stack/index.js';
import { workloadChecks } from './workloads/index.js';

/** The areas, in the order their checks run and are shown. */
export const AREAS = [
  // which virtual-node stack runs (doctor), before anything about it
  'stack',
  'cloud',
  'region',
  'network',
  // doctor's own from here on (src/checks/doctor.ts)
  'addon',
  'identity',
  'connector',
  'node',
  'pods',
  'workloads',
  'dns',
  'policy',
  'orphans',
  // opt-in (--probe): writes a pod, so it runs last, once the node is known Ready
  'probe',
] as const;

/** Every check. */
export const CHECKS: readonly AnyCheck[] = [
  ...stackChecks,
  ...cloudChecks,
  ...providerChecks,
  ...perRegionChecks,
  ...networkChecks,
  ...addonChecks,
  ...identityChecks,
  ...connectorChecks,
  ...nodeChecks,
  ...podChecks,
  ...workloadChecks,
  ...dnsChecks,
  ...policyChecks,
  ...orphanChecks,
  ...probeChecks,
];

/** The checks of an area, or with a tag (`per-region`), in registry order. */
export function checksWhere(filter: { area?: (typeof AREAS)[number]; tag?: string }): AnyCheck[] {
  return CHECKS.filter((c) => (!filter.area || c.area === filter.area) && (!filter.tag || c.tags.includes(filter.tag)));
}
