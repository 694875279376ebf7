// Azure Policy's deny at write time: a PUT whose resource an enforced assignment's rule matches, with effect deny, is
// refused with 403 RequestDisallowedByPolicy and the body ARM sends (the policy identifiers in the message, one
// PolicyViolation per matching definition in additionalInfo; wording from
// https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/error-policy-requestdisallowedbypolicy),
// and the refused write is written to the Activity Log as Azure records it (a Failed `…/write` with Forbidden).
import { contains } from '../authorization.js';
import { jsonObject } from '../context.js';
import { ArmError } from '../errors.js';
import type { HandlerContext } from '../handler.js';
import type { Json } from '../store.js';
import { recordActivity } from './activity-log.js';
import { definitionById, POLICY_SET_TYPE } from './definitions.js';
import { matches, type PolicyParameters, resolveValue } from './rules.js';

const ASSIGNMENT_TYPE = 'Microsoft.Authorization/policyAssignments';

/** `{name: {value}}` → `{name: value}`, filled from the definition's `defaultValue`s. */
function parameterValues(given: unknown, declared: unknown, outer: PolicyParameters = {}): PolicyParameters {
  const out: PolicyParameters = {};
  for (const [k, d] of Object.entries(jsonObject(declared) ?? {})) {
    if (jsonObject(d)?.defaultValue !== undefined) out[k] = jsonObject(d)!.defaultValue;
  }
  for (const [k, v] of Object.entries(jsonObject(given) ?? {})) out[k] = resolveValue(jsonObject(v)?.value, outer);
  return out;
}

/** One definition an assignment enforces, with its parameters resolved. */
interface Enforced {
  assignment: Json;
  definitionId: string;
  definition: Json;
  params: PolicyParameters;
}

function enforcedAt(hctx: HandlerContext, resourceId: string): Enforced[] {
  return hctx.store.list(ASSIGNMENT_TYPE, '').flatMap((a) => {
    const p = jsonObject(a.body.properties) ?? {};
    const notScopes = Array.isArray(p.notScopes) ? p.notScopes.map(String) : [];
    if (String(p.enforcementMode ?? 'Default').toLowerCase() === 'donotenforce') return [];
    if (!contains(String(p.scope ?? ''), resourceId) || notScopes.some((s) => contains(s, resourceId))) return [];
    const id = String(p.policyDefinitionId ?? '');
    const isSet = id.toLowerCase().includes('/policysetdefinitions/');
    const definition = definitionById(hctx, id, isSet ? POLICY_SET_TYPE : undefined);
    if (definition === undefined) return [];
    const dp = jsonObject(definition.properties) ?? {};
    const params = parameterValues(p.parameters, dp.parameters);
    if (!isSet) return [{ assignment: a.body, definitionId: id, definition, params }];
    const members = Array.isArray(dp.policyDefinitions) ? dp.policyDefinitions.map((m) => jsonObject(m) ?? {}) : [];
    return members.flatMap((m) => {
      const memberId = String(m.policyDefinitionId ?? '');
      const member = definitionById(hctx, memberId);
      if (member === undefined) return [];
      const mp = parameterValues(m.parameters, jsonObject(member.properties)?.parameters, params);
      return [{ assignment: a.body, definitionId: memberId, definition: member, params: mp }];
    });
  });
}

/**
 * The 403 a write meets when a deny policy matches it, undefined when none does. `resource` is the body as ARM
 * evaluates it: id, name, type, location, tags, properties.
 */
export function policyDenial(hctx: HandlerContext, resource: Json): ArmError | undefined {
  const id = String(resource.id ?? '');
  const denying = enforcedAt(hctx, id).filter((e) => {
    const dp = jsonObject(e.definition.properties) ?? {};
    // Indexed mode evaluates only types that have a location (and tags): not subnets, not extension resources.
    if (String(dp.mode ?? 'All').toLowerCase() === 'indexed' && typeof resource.location !== 'string') return false;
    const rule = jsonObject(dp.policyRule) ?? {};
    const effect = String(resolveValue(jsonObject(rule.then)?.effect, e.params) ?? '').toLowerCase();
    return effect === 'deny' && matches(rule.if, resource, e.params);
  });
  if (denying.length === 0) return undefined;
  const name = String(resource.name ?? id.split('/').pop());
  const identifiers = denying.map((e) => ({
    policyAssignment: {
      name: String(jsonObject(e.assignment.properties)?.displayName ?? e.assignment.name),
      id: String(e.assignment.id),
    },
    policyDefinition: {
      name: String(jsonObject(e.definition.properties)?.displayName ?? e.definition.name),
      id: e.definitionId,
    },
  }));
  const error = new ArmError(
    403,
    'RequestDisallowedByPolicy',
    `Resource '${name}' was disallowed by policy. Policy identifiers: '${JSON.stringify(identifiers)}'.`,
    {
      target: name,
      additionalInfo: denying.map((e) => {
        const ap = jsonObject(e.assignment.properties) ?? {};
        return {
          type: 'PolicyViolation',
          info: {
            policyDefinitionDisplayName: jsonObject(e.definition.properties)?.displayName,
            policyDefinitionId: e.definitionId,
            policyDefinitionName: e.definition.name,
            policyDefinitionEffect: 'deny',
            policyAssignmentId: e.assignment.id,
            policyAssignmentName: e.assignment.name,
            policyAssignmentDisplayName: ap.displayName,
            policyAssignmentScope: ap.scope,
            policyAssignmentParameters: ap.parameters ?? {},
          },
        };
      }),
    },
  );
  recordActivity(hctx, {
    resourceId: id,
    operation: `${String(resource.type)}/write`,
    status: 'Failed',
    subStatus: 'Forbidden',
    statusMessage: JSON.stringify({ error: error.toBody() }),
  });
  return error;
}
