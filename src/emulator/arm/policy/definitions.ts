// Microsoft.Authorization/policyDefinitions and policySetDefinitions: a few built-ins the scenarios assign (at
// `/providers/Microsoft.Authorization/policyDefinitions/{guid}`, readable below any scope, as Azure serves them),
// and custom ones stored from the scenario or a PUT. Bodies follow the 2023-04-01 shape (`properties.policyRule`,
// `parameters` with `defaultValue`); the rules are Azure's built-ins (azure-policy repo, built-in-policies/General),
// abridged to the conditions the emulator evaluates.
import { ArmError } from '../errors.js';
import type { HandlerContext, ResourceTypeHandler } from '../handler.js';
import type { ArmPath } from '../ids.js';
import type { Json, StoredResource } from '../store.js';

/** Full type of a policy definition. */
const POLICY_DEFINITION_TYPE = 'Microsoft.Authorization/policyDefinitions';
/** Full type of a policy set definition (an initiative). */
export const POLICY_SET_TYPE = 'Microsoft.Authorization/policySetDefinitions';

const effectParameter = (allowed: string[], defaultValue: string): Json => ({
  type: 'String',
  metadata: { displayName: 'Effect', description: 'Enable or disable the execution of the policy' },
  allowedValues: allowed,
  defaultValue,
});

const BUILT_IN: readonly Json[] = [
  {
    name: '6c112d4e-5bc7-47ae-a041-ea2d9dccd749',
    properties: {
      displayName: 'Not allowed resource types',
      policyType: 'BuiltIn',
      mode: 'All',
      description: 'Restrict which resource types can be deployed in your environment.',
      metadata: { version: '2.0.0', category: 'General' },
      parameters: {
        listOfResourceTypesNotAllowed: {
          type: 'Array',
          metadata: { displayName: 'Not allowed resource types', strongType: 'resourceTypes' },
        },
        effect: effectParameter(['Audit', 'Deny', 'Disabled'], 'Deny'),
      },
      policyRule: {
        if: { field: 'type', in: "[parameters('listOfResourceTypesNotAllowed')]" },
        then: { effect: "[parameters('effect')]" },
      },
    },
  },
  {
    name: 'e56962a6-4747-49cd-b67b-bf8b01975c4c',
    properties: {
      displayName: 'Allowed locations',
      policyType: 'BuiltIn',
      mode: 'Indexed',
      description:
        'This policy enables you to restrict the locations your organization can specify when deploying resources.',
      metadata: { version: '1.0.0', category: 'General' },
      parameters: {
        listOfAllowedLocations: {
          type: 'Array',
          metadata: { displayName: 'Allowed locations', strongType: 'location' },
        },
      },
      policyRule: {
        if: {
          allOf: [
            { field: 'location', notIn: "[parameters('listOfAllowedLocations')]" },
            { field: 'location', notEquals: 'global' },
          ],
        },
        then: { effect: 'deny' },
      },
    },
  },
  {
    name: '871b6d14-10aa-478d-b590-94f262ecfa99',
    properties: {
      displayName: 'Require a tag on resources',
      policyType: 'BuiltIn',
      mode: 'Indexed',
      description: 'Enforces existence of a tag. Does not apply to resource groups.',
      metadata: { version: '1.0.1', category: 'Tags' },
      parameters: { tagName: { type: 'String', metadata: { displayName: 'Tag Name' } } },
      policyRule: {
        if: { field: "[concat('tags[', parameters('tagName'), ']')]", exists: 'false' },
        then: { effect: 'deny' },
      },
    },
  },
];

const builtInId = (name: string, type: string): string => `/providers/${type}/${name}`;

function stored(body: Json, type: string): StoredResource {
  const name = String(body.name);
  const id = builtInId(name, type);
  return { id, type, body: { id, type, ...body }, etag: `"${name}"` };
}

/** A built-in definition by name (its GUID), or undefined. */
const builtIn = (name: string | undefined): Json | undefined =>
  name === undefined ? undefined : BUILT_IN.find((d) => String(d.name).toLowerCase() === name.toLowerCase());

/** A definition (built-in or custom) by its full id; what enforcement and the definitions GET read. */
export function definitionById(hctx: HandlerContext, id: string, type = POLICY_DEFINITION_TYPE): Json | undefined {
  const own = hctx.store.get(id);
  if (own !== undefined) return own.body;
  const found = type === POLICY_DEFINITION_TYPE ? builtIn(id.slice(id.lastIndexOf('/') + 1)) : undefined;
  return found === undefined ? undefined : stored(found, type).body;
}

const notFound = (what: string, name: string | undefined): ArmError =>
  new ArmError(404, 'PolicyDefinitionNotFound', `The ${what} '${name ?? ''}' could not be found.`);

/** Policy definitions: custom ones stored, built-ins found at any scope by their GUID. */
export const policyDefinitions: ResourceTypeHandler = {
  type: POLICY_DEFINITION_TYPE,
  operationGroup: 'PolicyDefinitions',
  provisioningState: false,
  lookup(path: ArmPath) {
    const found = builtIn(path.name);
    if (found === undefined) throw notFound('policy definition', path.name);
    return stored(found, POLICY_DEFINITION_TYPE);
  },
  list(scopeId: string, _ctx, hctx: HandlerContext) {
    return [
      ...BUILT_IN.map((d) => stored(d, POLICY_DEFINITION_TYPE)),
      ...hctx.store.list(POLICY_DEFINITION_TYPE, scopeId),
    ];
  },
};

/** Policy set definitions (initiatives): stored ones only; a missing one is ARM's PolicySetDefinitionNotFound. */
export const policySetDefinitions: ResourceTypeHandler = {
  type: POLICY_SET_TYPE,
  operationGroup: 'PolicySetDefinitions',
  provisioningState: false,
  lookup(path: ArmPath) {
    throw new ArmError(
      404,
      'PolicySetDefinitionNotFound',
      `The policy set definition '${path.name ?? ''}' could not be found.`,
    );
  },
};
