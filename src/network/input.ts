// What users type for the ACI subnet (--name/--subnet-name, --cidr), checked before any Azure call so a typo costs
// one clear line and exit 2 instead of a round trip and ARM's wording.
import { UsageError } from '../errors.js';
import { EXAMPLE_CIDR, parseCidrOrThrow, type Ipv4Network } from './cidr.js';

/** The subnet name `subnet create` uses when none is given (the name the AKS virtual nodes docs use). */
export const DEFAULT_SUBNET_NAME = 'virtual-node-aci';

/** The smallest subnet Azure accepts: it keeps 5 addresses in every subnet, so a /29 leaves 3. */
const SMALLEST_AZURE_SUBNET = 29;

// Microsoft.Network's rule: 1-80 characters, letters, digits, '.', '-', '_'; starts with a letter or digit, ends
// with a letter, digit or '_'.
const SUBNET_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,78}[A-Za-z0-9_])?$/;

/** Returns the name, or throws a UsageError naming the rule it breaks (a resource id gets its last segment suggested). */
export function assertSubnetName(value: string, flag: string): string {
  if (value.includes('/')) {
    const name = value.replace(/\/+$/, '').split('/').pop() || DEFAULT_SUBNET_NAME;
    throw new UsageError(
      `${flag} takes the subnet's name, not a resource id ("${value}").`,
      `Pass ${flag} ${name}.`,
      'VNODES_INVALID_SUBNET_NAME',
    );
  }
  if (!SUBNET_NAME.test(value)) {
    throw new UsageError(
      `Invalid subnet name "${value}": Azure allows 1-80 letters, digits, '.', '-' and '_', starting with a letter or ` +
        "digit and ending with a letter, digit or '_'.",
      `Pass e.g. ${flag} ${DEFAULT_SUBNET_NAME}.`,
      'VNODES_INVALID_SUBNET_NAME',
    );
  }
  return value;
}

/** Parses --cidr for an ACI subnet: a valid IPv4 network (see parseCidrOrThrow) no smaller than Azure's /29. */
export function parseSubnetCidr(text: string, flag = '--cidr'): Ipv4Network {
  const network = parseCidrOrThrow(text, flag);
  if (network.prefixLength > SMALLEST_AZURE_SUBNET) {
    throw new UsageError(
      `Invalid CIDR "${text}": a /${network.prefixLength} is smaller than Azure's smallest subnet (/${SMALLEST_AZURE_SUBNET}).`,
      `Pass a larger range, e.g. ${flag} ${EXAMPLE_CIDR}, or omit ${flag} to let vnodes choose a /24.`,
      'VNODES_INVALID_CIDR',
    );
  }
  return network;
}
