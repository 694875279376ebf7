// Names users type for Azure resources, checked before any Azure call. An empty --cluster used to GET the
// managedClusters collection, and `a/b` or `../x` became extra path segments: ARM then answered about some other
// resource, or echoed the bad name in a 404. The rules are ARM's own, from "Naming rules and restrictions for Azure
// resources" (learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules).
import { UsageError } from '../errors.js';

/** What kind of name, for the rule and the example in the message. */
export type NameKind = 'cluster' | 'resource group';

interface Rule {
  max: number;
  /** The whole name must match. */
  pattern: RegExp;
  allowed: string;
  example: string;
  code: string;
}

const RULES: Record<NameKind, Rule> = {
  // Microsoft.ContainerService/managedClusters: 1-63, alphanumerics, '_' and '-', starting and ending with an
  // alphanumeric (the AKS API's own pattern).
  cluster: {
    max: 63,
    pattern: /^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/,
    allowed: "letters, digits, '-' and '_', starting and ending with a letter or digit",
    example: 'aks-demo',
    code: 'VNODES_INVALID_CLUSTER_NAME',
  },
  // Resource groups: 1-90, Unicode letters and digits, '_', '-', '.', '(' and ')'; not ending in '.'.
  'resource group': {
    max: 90,
    pattern: /^[\p{L}\p{N}_().-]*[\p{L}\p{N}_()-]$/u,
    allowed: "letters, digits, '-', '_', '.', '(' and ')', not ending in '.'",
    example: 'rg-aks',
    code: 'VNODES_INVALID_RESOURCE_GROUP',
  },
};

/** Long values are cut in messages: a 10,000-character name is not worth printing whole. */
function shown(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max)}… (${value.length} characters)` : value;
}

/** Why `value` is not a valid name of this kind, or undefined when it is. Pure, for tables of cases. */
export function nameProblem(kind: NameKind, value: string): string | undefined {
  const rule = RULES[kind];
  if (value.trim() === '') return 'it is empty';
  if (value.includes('/') || value.includes('\\')) return 'it has a path separator; pass the name, not a resource id';
  if (value.length > rule.max) return `it is ${value.length} characters long; Azure allows at most ${rule.max}`;
  if (!rule.pattern.test(value)) return `Azure allows ${rule.allowed}`;
  return undefined;
}

/** Returns the name, or throws a UsageError (exit 2) naming the flag, the value and the rule it breaks. */
export function assertName(kind: NameKind, value: string, flag: string): string {
  const problem = nameProblem(kind, value);
  if (problem === undefined) return value;
  const rule = RULES[kind];
  // Worded as every other empty flag is (`--X is empty.`).
  if (value.trim() === '') assertNotEmptyFlag(value, flag, rule.example);
  // A resource id's last segment is most likely the name the user meant.
  const last = value.includes('/') ? value.replace(/\/+$/, '').split('/').pop() : undefined;
  const suggestion = last && nameProblem(kind, last) === undefined ? last : rule.example;
  throw new UsageError(
    `${flag} "${shown(value)}" is not a valid ${kind} name: ${problem}.`,
    `Pass the ${kind}'s name, e.g. ${flag} ${suggestion} (az ${kind === 'cluster' ? 'aks list' : 'group list'} -o table lists them).`,
    rule.code,
  );
}

/**
 * The one rule for empty values: a flag given with an empty value is a mistake (usually a shell variable that
 * expanded to nothing), so it is refused; an empty environment variable means the same as an unset one, as in
 * most Unix tools, so `VNODES_CLOUD= vnodes …` falls back to the default.
 */
export function assertNotEmptyFlag(value: string | undefined, flag: string, example: string): string | undefined {
  if (value !== undefined && value.trim() === '') {
    throw new UsageError(
      `${flag} is empty.`,
      `Pass a value (e.g. ${flag} ${example}), or leave ${flag} out for the default.`,
      'VNODES_EMPTY_VALUE',
    );
  }
  return value;
}

/** An environment variable, with empty (or blank) meaning unset. */
export function envValue(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}
