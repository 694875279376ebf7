// What VN-POL-001 reads out of Azure Policy, as pure functions: which assignments are enforced over the node and VNet
// resource groups, which of their definitions (a set's members included) deny with an `if` that names container
// groups or subnets, and which Activity Log events are policy denials. Parameters resolve the way Azure Policy
// resolves them: the assignment's value, else the set's value for its member, else the definition's defaultValue
// (https://learn.microsoft.com/azure/governance/policy/concepts/definition-structure-parameters).
import type { ActivityEventFact, PolicyAssignmentFact, PolicyDefinitionFact } from '../doctor-facts.js';
import { covers } from '../identity/grants.js';

// The resource types whose denial breaks virtual nodes.
const WATCHED_TYPES = ['Microsoft.ContainerInstance/containerGroups', 'Microsoft.Network/virtualNetworks/subnets'];

type Params = Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Assignments enforced over any of `scopes` (not DoNotEnforce, the scope not in `notScopes`). */
export function enforcedOver(
  assignments: readonly PolicyAssignmentFact[],
  scopes: readonly string[],
): PolicyAssignmentFact[] {
  return assignments.filter(
    (a) =>
      a.enforcementMode?.toLowerCase() !== 'donotenforce' &&
      scopes.some((s) => covers(a.scope, s) && !(a.notScopes ?? []).some((n) => covers(n, s))),
  );
}

/** A `[parameters('x')]` template resolved (whole-string only, the form rules use for effects and lists). */
export function resolve(value: unknown, params: Params): unknown {
  if (typeof value === 'string') {
    const m = /^\[\s*parameters\(\s*'([^']+)'\s*\)\s*\]$/i.exec(value);
    if (!m) return value;
    const key = Object.keys(params).find((k) => k.toLowerCase() === m[1]!.toLowerCase());
    return key === undefined ? undefined : params[key];
  }
  if (Array.isArray(value)) return value.map((v) => resolve(v, params));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, params)]));
  return value;
}

/** Declared defaults overlaid with the given `{name: {value}}` (each resolved against `outer`). */
function parameters(declared: PolicyDefinitionFact['parameters'], given: unknown, outer: Params = {}): Params {
  const out: Params = {};
  for (const [k, d] of Object.entries(declared ?? {})) if (d?.defaultValue !== undefined) out[k] = d.defaultValue;
  if (isObject(given))
    for (const [k, v] of Object.entries(given)) if (isObject(v) && 'value' in v) out[k] = resolve(v.value, outer);
  return out;
}

/** The leaf conditions of a rule (`{field, equals: …}`), as evidence. */
function conditions(rule: unknown): Record<string, unknown>[] {
  if (Array.isArray(rule)) return rule.flatMap(conditions);
  if (!isObject(rule)) return [];
  if ('field' in rule || 'value' in rule) return [rule];
  return Object.values(rule).flatMap(conditions);
}

/** A deny that may refuse container groups or subnets. */
export interface PotentialDeny {
  assignment: PolicyAssignmentFact;
  definitionId: string;
  definitionName: string;
  /** The set it came through, for a member of an initiative. */
  viaSet?: string;
  /** Which of WATCHED_TYPES its `if` names. */
  mentions: string[];
  /** The field conditions of its `if`, parameters resolved. */
  conditions: Record<string, unknown>[];
}

function judge(
  assignment: PolicyAssignmentFact,
  definition: PolicyDefinitionFact,
  params: Params,
  viaSet?: string,
): PotentialDeny | undefined {
  const effect = resolve(definition.policyRule?.then?.effect, params);
  if (typeof effect !== 'string' || effect.toLowerCase() !== 'deny') return undefined;
  const when = resolve(definition.policyRule?.if, params);
  const text = JSON.stringify(when ?? null).toLowerCase();
  const mentions = WATCHED_TYPES.filter((t) => text.includes(t.toLowerCase()));
  if (!mentions.length) return undefined;
  return {
    assignment,
    definitionId: definition.id,
    definitionName: definition.displayName ?? definition.name,
    ...(viaSet ? { viaSet } : {}),
    mentions,
    conditions: conditions(when),
  };
}

/** The enforced assignments' definitions that deny with an `if` naming container groups or subnets. */
export function potentialDenies(
  assignments: readonly PolicyAssignmentFact[],
  definitions: readonly PolicyDefinitionFact[],
  scopes: readonly string[],
): PotentialDeny[] {
  const byId = new Map(definitions.map((d) => [d.id.toLowerCase(), d]));
  return enforcedOver(assignments, scopes).flatMap((a) => {
    const d = byId.get((a.policyDefinitionId ?? '').toLowerCase());
    if (d === undefined) return [];
    const params = parameters(d.parameters, a.parameters);
    if (!d.policyDefinitions) return [judge(a, d, params)].filter((x): x is PotentialDeny => x !== undefined);
    return d.policyDefinitions.flatMap((m) => {
      const member = byId.get(m.policyDefinitionId.toLowerCase());
      if (member === undefined) return [];
      const found = judge(a, member, parameters(member.parameters, m.parameters, params), d.displayName ?? d.name);
      return found ? [found] : [];
    });
  });
}

/** A write Azure Policy refused, from the Activity Log. */
export interface PolicyDenial {
  resourceId: string;
  operation: string;
  time: string;
  /** The assignment's name (or id) from the error's policy identifiers. */
  policy: string;
}

/** The Activity Log events that are RequestDisallowedByPolicy failures. */
export function policyDenials(events: readonly ActivityEventFact[]): PolicyDenial[] {
  return events
    .filter((e) => /RequestDisallowedByPolicy|disallowed by (one or more )?polic/i.test(e.statusMessage ?? ''))
    .map((e) => {
      const text = (e.statusMessage ?? '').replace(/\\"/g, '"');
      const assignment = /"policyAssignment"\s*:\s*\{\s*"name"\s*:\s*"([^"]+)"/.exec(text)?.[1];
      const identifiers = /Policy identifiers?(?:\(s\))?:\s*'([^']+)'/i.exec(text)?.[1];
      return {
        resourceId: e.resourceId ?? '',
        operation: e.operationName ?? '',
        time: e.eventTimestamp ?? '',
        policy: assignment ?? identifiers ?? 'unknown',
      };
    });
}
