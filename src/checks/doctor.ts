// Every check `vnodes doctor` runs, in dependency order by area: the stack first, then what Azure must provide
// (region, network, add-on, identity), then what Kubernetes shows (connector, node, pods, workloads, DNS), then
// hygiene (policy, orphans). Today's network.* and region.* checks are reused as they are, with their ids.
import { addonChecks } from './addon/index.js';
import { connectorChecks } from './connector/index.js';
import { dnsChecks } from './dns/index.js';
import { defineCheck, type AnyCheck } from './engine.js';
import { identityChecks } from './identity/index.js';
import type { Check as LegacyCheck } from './model.js';
import { networkChecks } from './network/index.js';
import type { NetworkFacts } from '../network/facts.js';
import { nodeChecks } from './node/index.js';
import { orphanChecks } from './orphans/index.js';
import { podChecks } from './pods/index.js';
import { policyChecks } from './policy/index.js';
import { regionChecks } from './region-doctor.js';
import { stackChecks } from './stack/index.js';
import { workloadChecks } from './workloads/index.js';

/** Areas in the order doctor shows them (and their checks depend on each other). */
export const DOCTOR_AREAS = [
  'stack',
  'region',
  'network',
  'addon',
  'identity',
  'connector',
  'node',
  'pods',
  'workloads',
  'dns',
  'policy',
  'orphans',
] as const;

// Subnet checks only make sense once the subnet check has run; a missing subnet must not hide anything else.
const NEEDS_SUBNET = new Set([
  'network.subnet-dedicated',
  'network.subnet-route-table',
  'network.subnet-delegation',
  'network.subnet-size',
  'network.subnet-egress',
  'network.subnet-nsg',
]);

/** A network check of the old model as an engine check over the `network` fact. */
function networkCheck(check: LegacyCheck<NetworkFacts>): AnyCheck {
  const catalog = check.tags.filter((t) => t.startsWith('VN-'));
  return defineCheck({
    id: check.id,
    title: check.title,
    area: 'network',
    tags: check.tags.filter((t) => !t.startsWith('VN-')),
    severity: catalog.some((c) => /^VN-(NET|API-001|SUB-00[1-4])/.test(c)) ? 'P0' : 'P1',
    catalog,
    ...(check.docs ? { docs: check.docs } : {}),
    ...(NEEDS_SUBNET.has(check.id) ? { requires: ['network.subnet-exists'] } : {}),
    facts: ['network'],
    async run({ network }) {
      const { status, summary, evidence, remediation } = await check.run(network);
      return { status, summary, evidence, ...(remediation ? { remediation } : {}) };
    },
  });
}

/** Doctor's checks, in display and dependency order. */
export const doctorChecks: AnyCheck[] = [
  ...stackChecks,
  ...regionChecks,
  ...networkChecks.map(networkCheck),
  ...addonChecks,
  ...identityChecks,
  ...connectorChecks,
  ...nodeChecks,
  ...podChecks,
  ...workloadChecks,
  ...dnsChecks,
  ...policyChecks,
  ...orphanChecks,
];
