// Microsoft.Network's rules for a subnet write, with its error codes and wording, shared by Subnets_CreateOrUpdate
// and VirtualNetworks_CreateOrUpdate (whose body carries the subnets). Pure: the caller passes what ARM would look up.
import { jsonList, jsonObject, propertiesOf } from '../context.js';
import { ArmError } from '../errors.js';
import type { Json } from '../store.js';
import { overlap, parsePrefix, type Prefix, prefixesOf, validSubnetSize, within } from './address-prefixes.js';

/** Full type of a subnet, canonical casing. */
export const SUBNET_TYPE = 'Microsoft.Network/virtualNetworks/subnets';

/** Fields a client cannot set: Azure fills them, and a PUT keeps the stored values whatever the body says. */
const READ_ONLY = [
  'provisioningState',
  'ipConfigurations',
  'ipConfigurationProfiles',
  'privateEndpoints',
  'serviceAssociationLinks',
  'resourceNavigationLinks',
  'purpose',
] as const;

/** What each delegation lets the service do, as Azure fills `actions` (services not listed get none). */
const DELEGATION_ACTIONS: Record<string, string[]> = {
  'microsoft.containerinstance/containergroups': ['Microsoft.Network/virtualNetworks/subnets/action'],
  'microsoft.web/serverfarms': ['Microsoft.Network/virtualNetworks/subnets/action'],
};

/** Re-exported for the handlers that read subnets (they live in context.ts). */
export { jsonList, propertiesOf };
const list = jsonList;
const refId = (value: unknown): string | undefined => {
  const id = jsonObject(value)?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
};

/** What occupies a subnet (NIC and load balancer IP configurations, private endpoints, gateways, links). */
function subnetUsers(body: Json | undefined): string[] {
  const p = propertiesOf(body);
  const ids = (key: string) => list(p[key]).map((x) => String(x.id ?? propertiesOf(x).link ?? '?'));
  return [
    ...ids('ipConfigurations'),
    ...ids('privateEndpoints'),
    ...ids('applicationGatewayIPConfigurations'),
    ...ids('resourceNavigationLinks'),
  ];
}

/** The subnet's service association links: `[id, linkedResourceType]`. */
export function serviceLinks(body: Json | undefined): { id: string; type: string }[] {
  return list(propertiesOf(body).serviceAssociationLinks).map((l) => ({
    id: String(l.id ?? l.name ?? '?'),
    type: String(propertiesOf(l).linkedResourceType ?? ''),
  }));
}

const delegationServices = (body: Json | undefined): string[] =>
  list(propertiesOf(body).delegations).map((d) => String(propertiesOf(d).serviceName ?? d.serviceName ?? ''));

/** What a subnet write is checked against. */
export interface SubnetContext {
  /** The subnet's id and name, and its VNet's name, for messages. */
  id: string;
  name: string;
  vnetName: string;
  /** The VNet's address space, parsed. */
  space: Prefix[];
  /** The other subnets of the VNet (name and prefixes). */
  siblings: { name: string; prefixes: string[] }[];
  /** The subnet as stored before this write. */
  current: Json | undefined;
  /** Whether a referenced resource (route table, NSG, NAT gateway) exists. */
  exists(id: string): boolean;
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?$/;

/** 400 InvalidResourceName unless the name follows Network's naming rule. */
function checkName(name: string): ArmError | undefined {
  if (NAME.test(name)) return undefined;
  return new ArmError(
    400,
    'InvalidResourceName',
    `Resource name ${name} is invalid. The name can be up to 80 characters long. It must begin with a word character, ` +
      "and it must end with a word character or with '_'. The name may contain word characters or '.', '-', '_'.",
  );
}

/** Parses a prefix or returns Network's error for it (`owner` is the resource id named in the message). */
export function parseOrError(text: string, owner: string): Prefix | ArmError {
  const p = parsePrefix(text);
  if ('family' in p) return p;
  if (p.kind === 'host-bits') {
    return new ArmError(
      400,
      'InvalidCIDRNotation',
      `The address prefix ${text} in resource ${owner} has an invalid CIDR notation. For the given prefix length, ` +
        `the address prefix should be ${p.network}.`,
    );
  }
  return new ArmError(
    400,
    'InvalidAddressPrefixFormat',
    `Address prefix ${text} of resource ${owner} is not formatted correctly. It should follow CIDR notation, for example 10.0.0.0/24.`,
  );
}

/** Validates one subnet of a write; undefined when Azure would accept it. */
export function checkSubnet(body: Json, c: SubnetContext): ArmError | undefined {
  const named = checkName(c.name);
  if (named) return named;
  const texts = prefixesOf(propertiesOf(body));
  if (texts.length === 0) {
    return new ArmError(
      400,
      'InvalidRequestFormat',
      `Subnet ${c.name} has no address prefix: set properties.addressPrefix or properties.addressPrefixes.`,
    );
  }
  const prefixes: Prefix[] = [];
  for (const text of texts) {
    const p = parseOrError(text, c.id);
    if (p instanceof ArmError) return p;
    prefixes.push(p);
  }
  const invalid = new ArmError(
    400,
    'NetcfgInvalidSubnet',
    `Subnet '${c.name}' is not valid in virtual network '${c.vnetName}'.`,
  );
  if (prefixes.some((p) => !validSubnetSize(p))) return invalid;
  if (prefixes.some((p) => !c.space.some((s) => within(s, p)))) {
    return new ArmError(
      400,
      'NetcfgSubnetRangeOutsideVnet',
      `Subnet '${c.name}' is not valid because its IP address range is outside the IP address range of virtual network '${c.vnetName}'.`,
    );
  }
  for (const sibling of c.siblings) {
    const theirs = sibling.prefixes.flatMap((t) => {
      const p = parsePrefix(t);
      return 'family' in p ? [p] : [];
    });
    if (prefixes.some((mine) => theirs.some((t) => overlap(mine, t)))) {
      return new ArmError(
        400,
        'NetcfgSubnetRangesOverlap',
        `Subnet '${c.name}' is not valid because its IP address range overlaps with that of an existing subnet ` +
          `'${sibling.name}' in virtual network '${c.vnetName}'.`,
      );
    }
  }
  return checkInUse(body, prefixes, c) ?? checkReferences(body, c);
}

// A subnet that holds resources keeps its range and its delegations; links need their service's delegation.
function checkInUse(body: Json, prefixes: Prefix[], c: SubnetContext): ArmError | undefined {
  if (c.current === undefined) return undefined;
  const users = subnetUsers(c.current);
  const was = prefixesOf(propertiesOf(c.current)).map((t) => {
    const p = parsePrefix(t);
    return 'family' in p ? p.network : t;
  });
  const now = prefixes.map((p) => p.network);
  const same = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();
  if (users.length > 0 && !same(was, now)) {
    return new ArmError(
      400,
      'InUseSubnetCannotBeUpdated',
      `Subnet ${c.name} is in use by ${users[0]} and cannot be updated.`,
    );
  }
  const before = delegationServices(c.current);
  const after = delegationServices(body);
  const lower = (xs: string[]) => xs.map((x) => x.toLowerCase());
  if (users.length > 0 && !same(lower(before), lower(after))) {
    return new ArmError(
      400,
      'SubnetDelegationsCannotChangeWhenSubnetUsedByResource',
      `Delegations of subnet ${c.id} cannot be changed from [${before.join(',')}] to [${after.join(',')}] because it ` +
        `is being used by the resource ${users[0]}.`,
    );
  }
  const missing = serviceLinks(c.current).find((l) => l.type !== '' && !lower(after).includes(l.type.toLowerCase()));
  if (missing) {
    return new ArmError(
      400,
      'SubnetMissingRequiredDelegation',
      `Subnet ${c.id} requires any of the following delegation(s) [${missing.type}] to reference service association link ${missing.id}.`,
    );
  }
  return undefined;
}

// A new or changed reference must name an existing resource; one already on the subnet is taken as it is.
function checkReferences(body: Json, c: SubnetContext): ArmError | undefined {
  const given = propertiesOf(body);
  const was = propertiesOf(c.current);
  for (const key of ['routeTable', 'networkSecurityGroup', 'natGateway']) {
    const id = refId(given[key]);
    if (id === undefined || id.toLowerCase() === refId(was[key])?.toLowerCase() || c.exists(id)) continue;
    return new ArmError(
      400,
      'InvalidResourceReference',
      `Resource ${id} referenced by resource ${c.id} was not found. Please make sure that the referenced resource ` +
        'exists, and that both resources are in the same region.',
    );
  }
  return undefined;
}

/** The subnet as stored after a validated write: writable fields from the body, read-only ones kept, delegations filled. */
export function subnetBody(id: string, name: string, body: Json, current: Json | undefined): Json {
  const given = propertiesOf(body);
  const was = propertiesOf(current);
  const properties: Json = {};
  for (const [k, v] of Object.entries(given)) if (!(READ_ONLY as readonly string[]).includes(k)) properties[k] = v;
  for (const k of READ_ONLY) if (was[k] !== undefined) properties[k] = was[k];
  if (Array.isArray(given.delegations)) {
    properties.delegations = list(given.delegations).map((d) => {
      const dp = propertiesOf(d);
      const service = String(dp.serviceName ?? d.serviceName ?? '');
      const dname = String(d.name ?? service.replace('/', '.'));
      return {
        name: dname,
        id: `${id}/delegations/${dname}`,
        type: `${SUBNET_TYPE}/delegations`,
        properties: {
          serviceName: service,
          actions: DELEGATION_ACTIONS[service.toLowerCase()] ?? (Array.isArray(dp.actions) ? dp.actions : []),
          provisioningState: 'Succeeded',
        },
      };
    });
  }
  return { id, name, type: SUBNET_TYPE, properties };
}

/** 400 InUseSubnetCannotBeDeleted while anything occupies the subnet or links to it. */
export function checkDelete(name: string, body: Json): ArmError | undefined {
  const user = subnetUsers(body)[0] ?? serviceLinks(body)[0]?.id;
  if (user === undefined) return undefined;
  return new ArmError(
    400,
    'InUseSubnetCannotBeDeleted',
    `Subnet ${name} is in use by ${user} and cannot be deleted. In order to delete the subnet, delete all the resources ` +
      'within the subnet. See aka.ms/deletesubnet.',
  );
}
