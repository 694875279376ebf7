// The ACI subnet's address range (catalog VN-SUB-006, VN-SUB-005): the `--cidr` asked for, or the existing subnet's
// prefixes, must sit inside the VNet and clear every range the cluster routes; with neither, a free block must exist.
import { findSubnet, subnetPrefixes, takenRanges, vnetAddressSpace, type NetworkFacts } from '../../network/facts.js';
import { parseCidr, toIpv4Network, usableForPrefixLength } from '../../network/cidr.js';
import { checkCidr, DEFAULT_SUBNET_PREFIX_LENGTH, planSubnetCidr, PREFIX_LENGTH_RANGE } from '../../network/plan.js';
import type { AnyCheck } from '../engine.js';
import {
  ACI_VNET_DOC,
  ev,
  listText,
  names,
  noVnet,
  outcome,
  vnetAddPrefixes,
  type Outcome,
  networkCheck,
} from './common.js';

type Subjects = { flag: boolean; cidrs: string[] } | { skip: Outcome };

const invalidCidr = (cidr: string) => outcome('skip', `--cidr "${cidr}" is not a valid CIDR (see network.cidr-valid).`);
const subjectEvidence = (s: { flag: boolean; cidrs: string[] }) =>
  ev(s.flag ? '--cidr' : 'properties.addressPrefixes', s.cidrs);

// What to vet: the user's --cidr when given, else the existing subnet's IPv4 prefixes.
function subjects(facts: NetworkFacts): Subjects {
  if (facts.cidr !== undefined) {
    const parsed = parseCidr(facts.cidr);
    if (!parsed.ok) return { skip: invalidCidr(facts.cidr) };
    return { flag: true, cidrs: [parsed.network.cidr] };
  }
  const subnet = findSubnet(facts);
  const cidrs = subnet ? subnetPrefixes(subnet).flatMap((p) => toIpv4Network(p)?.cidr ?? []) : [];
  if (!cidrs.length) {
    return {
      skip: outcome('skip', 'No --cidr given and no existing ACI subnet to vet (see network.subnet-free-range).'),
    };
  }
  return { flag: false, cidrs };
}

// A concrete alternative for the remediation line, of the same size as the rejected range when that size is allowed.
function alternative(facts: NetworkFacts, cidr: string): string {
  const size = toIpv4Network(cidr)?.prefixLength ?? DEFAULT_SUBNET_PREFIX_LENGTH;
  const prefixLength = Math.min(Math.max(size, PREFIX_LENGTH_RANGE.min), PREFIX_LENGTH_RANGE.max);
  const plan = planSubnetCidr({ addressSpace: vnetAddressSpace(facts.vnet), taken: takenRanges(facts), prefixLength });
  return 'cidr' in plan ? ` (e.g. --cidr ${plan.cidr})` : '';
}

const valid = networkCheck({
  id: 'network.cidr-valid',
  title: 'Requested CIDR is a valid IPv4 network',
  tags: ['network', 'cidr', 'VN-SUB-006'],
  run(facts): Outcome {
    if (facts.cidr === undefined) return outcome('skip', 'No --cidr given.');
    const parsed = parseCidr(facts.cidr);
    const evidence = [ev('--cidr', facts.cidr)];
    const fix = 'Pass --cidr as an IPv4 network address and prefix length, or omit it to let vnodes choose.';
    if (!parsed.ok) return outcome('fail', parsed.message, evidence, fix);
    return outcome('pass', `${parsed.network.cidr} is a valid IPv4 network.`, evidence);
  },
});

const inAddressSpace = networkCheck({
  id: 'network.cidr-in-address-space',
  title: 'ACI subnet range inside the VNet address space',
  tags: ['network', 'cidr', 'VN-SUB-006'],
  docs: ACI_VNET_DOC,
  run(facts): Outcome {
    const s = subjects(facts);
    if ('skip' in s) return s.skip;
    if (!facts.vnet) return noVnet();
    const space = vnetAddressSpace(facts.vnet);
    const outside = s.cidrs.filter((c) => !checkCidr(c, { addressSpace: space, taken: [] }).insideAddressSpace);
    const evidence = [subjectEvidence(s), ev('properties.addressSpace.addressPrefixes', space, facts.vnet.id)];
    if (!outside.length) return outcome('pass', `${listText(s.cidrs)} is inside the VNet address space.`, evidence);
    const n = names(facts);
    return outcome(
      'fail',
      `${listText(outside)} is outside the address space of VNet ${n.vnet} (${space.join(', ')}).`,
      evidence,
      s.flag
        ? `Pick a range inside ${space.join(', ')}${alternative(facts, outside[0] ?? '')}, or omit --cidr.`
        : vnetAddPrefixes(n, space, outside),
    );
  },
});

const overlap = networkCheck({
  id: 'network.cidr-overlap',
  title: 'ACI subnet range overlaps nothing the cluster routes',
  tags: ['network', 'cidr', 'VN-SUB-006'],
  docs: ACI_VNET_DOC,
  run(facts): Outcome {
    const s = subjects(facts);
    if ('skip' in s) return s.skip;
    const taken = takenRanges(facts);
    const found = s.cidrs.flatMap((c) => {
      const conflicts = checkCidr(c, { addressSpace: [], taken }).conflicts;
      return conflicts.length ? [`${c} ${listText(conflicts.map((x) => x.message))}`] : [];
    });
    const evidence = [
      subjectEvidence(s),
      ev(
        'taken',
        taken.map((t) => `${t.name} ${t.cidr}`),
      ),
    ];
    if (!found.length) {
      return outcome(
        'pass',
        `${listText(s.cidrs)} overlaps no subnet, service CIDR, DNS service IP or pod CIDR.`,
        evidence,
      );
    }
    const n = names(facts);
    return outcome(
      'fail',
      `${found.join('; ')}.`,
      evidence,
      s.flag
        ? `Pick another with --cidr${alternative(facts, s.cidrs[0] ?? '')}, or omit it to let vnodes choose.`
        : `Use a new subnet: vnodes subnet create --cluster ${n.cluster} -g ${n.resourceGroup} --name <new-subnet>`,
    );
  },
});

const matchesSubnet = networkCheck({
  id: 'network.cidr-subnet-match',
  title: 'Requested CIDR matches the existing subnet',
  tags: ['network', 'cidr', 'subnet', 'VN-SUB-006'],
  run(facts): Outcome {
    const subnet = findSubnet(facts);
    if (facts.cidr === undefined || !subnet) {
      return outcome('skip', 'Applies only when --cidr names a range for a subnet that already exists.');
    }
    const wanted = parseCidr(facts.cidr);
    if (!wanted.ok) return invalidCidr(facts.cidr);
    const prefixes = subnetPrefixes(subnet);
    const evidence = [ev('--cidr', facts.cidr), ev('properties.addressPrefixes', prefixes, subnet.id)];
    if (prefixes.some((p) => toIpv4Network(p)?.cidr === wanted.network.cidr)) {
      return outcome('pass', `Subnet ${facts.subnetName} already has ${wanted.network.cidr}.`, evidence);
    }
    return outcome(
      'fail',
      `Subnet ${facts.subnetName} exists with ${listText(prefixes)}, not ${wanted.network.cidr}; ` +
        'vnodes never changes the range of an existing subnet.',
      evidence,
      'Drop --cidr to adopt the subnet as it is, or choose another --subnet-name.',
    );
  },
});

const freeRange = networkCheck({
  id: 'network.subnet-free-range',
  title: 'Room in the VNet for a new ACI subnet',
  tags: ['network', 'cidr', 'VN-SUB-005', 'VN-SUB-006'],
  docs: ACI_VNET_DOC,
  run(facts): Outcome {
    if (facts.cidr !== undefined || findSubnet(facts)) {
      return outcome('skip', 'The range is given (--cidr) or the subnet exists.');
    }
    if (!facts.vnet) return noVnet();
    const prefixLength = facts.prefixLength ?? DEFAULT_SUBNET_PREFIX_LENGTH;
    const { min, max } = PREFIX_LENGTH_RANGE;
    if (!Number.isInteger(prefixLength) || prefixLength < min || prefixLength > max) {
      const summary = `--prefix-length ${prefixLength} is outside ${min}-${max}.`;
      return outcome(
        'fail',
        summary,
        [ev('--prefix-length', prefixLength)],
        `Use --prefix-length ${DEFAULT_SUBNET_PREFIX_LENGTH}.`,
      );
    }
    const space = vnetAddressSpace(facts.vnet);
    const plan = planSubnetCidr({ addressSpace: space, taken: takenRanges(facts), prefixLength });
    const evidence = [
      ev('properties.addressSpace.addressPrefixes', space, facts.vnet.id),
      ev('prefixLength', prefixLength),
    ];
    if ('cidr' in plan) {
      evidence.push(ev('plannedCidr', plan.cidr));
      const usable = usableForPrefixLength(prefixLength);
      return outcome('pass', `\`vnodes subnet create\` would use ${plan.cidr} (${usable} usable addresses).`, evidence);
    }
    const n = names(facts);
    return outcome(
      'fail',
      plan.message,
      evidence,
      plan.fitsPrefixLength
        ? `vnodes subnet create --cluster ${n.cluster} -g ${n.resourceGroup} --prefix-length ${plan.fitsPrefixLength}`
        : vnetAddPrefixes(n, space, ['<new-ipv4-cidr>']),
    );
  },
});

/** Checks on the ACI subnet's address range. */
export const rangeChecks: AnyCheck[] = [valid, inAddressSpace, overlap, matchesSubnet, freeRange];
