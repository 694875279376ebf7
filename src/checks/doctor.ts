// Every check `vnodes doctor` runs, in dependency order by area: the stack first, then what Azure must provide
// (cloud, region, network, add-on, identity), then what Kubernetes shows (connector, node, pods, workloads, DNS), then
// hygiene (policy, orphans). Today's cloud.*, network.* and region.* checks are reused as they are, with their ids;
// doctor adds the catalog ids and severities they lack, and the subnet checks' requirement on the subnet.
import { defineCheck, type AnyCheck, type Severity } from './engine.js';
import { CHECKS } from './registry.js';

// Subnet checks only make sense once the subnet check has run; a missing subnet must not hide anything else.
const NEEDS_SUBNET = new Set([
  'network.subnet-dedicated',
  'network.subnet-route-table',
  'network.subnet-delegation',
  'network.subnet-size',
  'network.subnet-egress',
  'network.subnet-nsg',
]);

// The catalog (research pain.md §2) of the checks other commands share, which carry no catalog of their own.
const CATALOG: Record<string, { catalog: string[]; severity: Severity }> = {
  'cloud.virtual-nodes': { catalog: ['VN-REG-001'], severity: 'P0' },
  'region.provider-registered': { catalog: ['VN-RP-001'], severity: 'P0' },
  'region.aci-available': { catalog: ['VN-REG-001'], severity: 'P0' },
  'region.aci-linux': { catalog: ['VN-REG-001'], severity: 'P0' },
  'region.vnet': { catalog: ['VN-REG-001'], severity: 'P0' },
  'region.gpu': { catalog: ['VN-REG-001'], severity: 'P2' },
  'region.quota-container-groups': { catalog: ['VN-QUOTA-001'], severity: 'P1' },
  'region.quota-cores': { catalog: ['VN-QUOTA-001'], severity: 'P1' },
  'region.pod-size': { catalog: ['VN-QUOTA-001'], severity: 'P1' },
};

/** A shared check with its catalog entry (network checks name theirs in their tags). */
function catalogued(check: AnyCheck): AnyCheck {
  const fromTags = check.tags.filter((t) => t.startsWith('VN-'));
  const known = CATALOG[check.id];
  const catalog = check.catalog ?? known?.catalog ?? fromTags;
  const severity =
    check.severity ?? known?.severity ?? (catalog.some((c) => /^VN-(NET|API-001|SUB-00[1-4])/.test(c)) ? 'P0' : 'P1');
  return defineCheck({
    ...check,
    catalog,
    severity,
    ...(NEEDS_SUBNET.has(check.id) && !check.requires?.length ? { requires: ['network.subnet-exists'] } : {}),
  });
}

// The areas other commands share; doctor adds their catalog ids.
const SHARED = new Set(['cloud', 'region', 'network']);

/** Doctor's checks: every check of the registry, in display and dependency order. */
export const doctorChecks: AnyCheck[] = CHECKS.map((c) => (SHARED.has(c.area) ? catalogued(c) : c));
