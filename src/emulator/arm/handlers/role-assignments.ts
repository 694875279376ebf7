import { allAssignments, contains, ROLE_ASSIGNMENT_TYPE, roleFor } from '../authorization.js';
import { jsonObject, type RequestContext } from '../context.js';
import { ArmError } from '../errors.js';
import type { HandlerContext, ResourceTypeHandler, WriteRequest } from '../handler.js';
import { idKey } from '../ids.js';
import type { Json, StoredResource } from '../store.js';
import { roleDefinitionId, roleGuidOf } from './role-definitions.js';
import { knownPrincipals } from './user-assigned-identities.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Azure's codes and wording for role assignment failures.

const invalidAssignmentId = (name: string): ArmError =>
  new ArmError(
    400,
    'InvalidRoleAssignmentId',
    `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`,
  );

const invalidPrincipalId = (): ArmError =>
  new ArmError(400, 'InvalidPrincipalId', 'A valid principal ID must be provided for role assignment.');

const roleDefinitionDoesNotExist = (guid: string): ArmError =>
  new ArmError(400, 'RoleDefinitionDoesNotExist', `The specified role definition with ID '${guid}' does not exist.`);

const roleAssignmentExists = (): ArmError =>
  new ArmError(409, 'RoleAssignmentExists', 'The role assignment already exists.');

const updateNotPermitted = (): ArmError =>
  new ArmError(
    400,
    'RoleAssignmentUpdateNotPermitted',
    'Tenant ID, application ID, principal ID, and scope are not allowed to be updated.',
  );

/** The directory has not heard of the principal (yet): Azure prints the id without dashes. */
const principalNotFound = (principalId: string, tenantId: string): ArmError =>
  new ArmError(
    400,
    'PrincipalNotFound',
    `Principal ${principalId.replace(/-/g, '')} does not exist in the directory ${tenantId}. Check that you have the correct principal ID. ` +
      'If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. ' +
      'In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  ' +
      'See https://aka.ms/docs-principaltype',
  );

// "PrinciaplType" is Azure's own spelling in this message.
const unmatchedPrincipalType = (principalId: string, actual: string, given: string): ArmError =>
  new ArmError(
    400,
    'UnmatchedPrincipalType',
    `The PrincipalId '${principalId.replace(/-/g, '')}' has type '${actual}' , which is different from specified PrinciaplType '${given}'.`,
  );

const propertiesOf = (body: Json | undefined): Json => jsonObject(body?.properties) ?? {};
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The principal lookup ARM does on create: unknown, not yet replicated, or of another type than stated. */
function checkPrincipal(principalId: string, principalType: string, hctx: HandlerContext): ArmError | undefined {
  const known = knownPrincipals(hctx).get(principalId.toLowerCase());
  const { principalPropagationMs, principalTypeSkipsLookup } = hctx.services;
  if (principalType !== '' && principalTypeSkipsLookup) return undefined;
  const tenantId = hctx.scenario.subscription.tenantId;
  if (known === undefined) return principalType === '' ? principalNotFound(principalId, tenantId) : undefined;
  if (hctx.now() < known.createdAt + principalPropagationMs) return principalNotFound(principalId, tenantId);
  if (principalType !== '' && principalType.toLowerCase() !== known.type.toLowerCase())
    return unmatchedPrincipalType(principalId, known.type, principalType);
  return undefined;
}

function validate(req: WriteRequest, hctx: HandlerContext): ArmError | undefined {
  const name = String(req.path.name);
  if (!GUID.test(name)) return invalidAssignmentId(name);
  const p = propertiesOf(req.body);
  const principalId = text(p.principalId);
  if (!GUID.test(principalId)) return invalidPrincipalId();
  const roleId = text(p.roleDefinitionId);
  if (roleFor(hctx, roleId) === undefined) return roleDefinitionDoesNotExist(roleGuidOf(roleId));
  if (req.current !== undefined) {
    // The same name again: the same principal and role is an idempotent success; another principal or role is an
    // update ARM refuses.
    const was = propertiesOf(req.current.body);
    const same =
      text(was.principalId).toLowerCase() === principalId.toLowerCase() &&
      roleGuidOf(text(was.roleDefinitionId)) === roleGuidOf(roleId);
    return same ? undefined : updateNotPermitted();
  }
  const scope = idKey(req.path.parentId);
  const twin = allAssignments(hctx).find(
    (a) =>
      idKey(a.scope) === scope &&
      a.principalId.toLowerCase() === principalId.toLowerCase() &&
      roleGuidOf(a.roleDefinitionId) === roleGuidOf(roleId),
  );
  if (twin !== undefined) return roleAssignmentExists();
  return checkPrincipal(principalId, text(p.principalType), hctx);
}

function apply(req: WriteRequest, hctx: HandlerContext): Json {
  const p = propertiesOf(req.body);
  const before = propertiesOf(req.current?.body);
  const now = new Date(hctx.now()).toISOString();
  const principalId = text(p.principalId);
  const known = knownPrincipals(hctx).get(principalId.toLowerCase());
  const subscriptionId = req.path.subscriptionId ?? hctx.scenario.subscription.id;
  return {
    id: req.id,
    name: req.current?.body.name ?? req.path.name,
    type: ROLE_ASSIGNMENT_TYPE,
    properties: {
      roleDefinitionId: roleDefinitionId(subscriptionId, roleGuidOf(text(p.roleDefinitionId))),
      principalId,
      principalType: text(p.principalType) || known?.type || 'ServicePrincipal',
      scope: req.path.parentId,
      condition: p.condition ?? null,
      conditionVersion: p.conditionVersion ?? null,
      createdOn: before.createdOn ?? now,
      updatedOn: now,
      createdBy: before.createdBy ?? null,
      updatedBy: null,
      delegatedManagedIdentityResourceId: p.delegatedManagedIdentityResourceId ?? null,
      description: p.description ?? null,
    },
  };
}

/** One `$filter` term ARM supports for role assignments. */
type Term = { kind: 'atScope' } | { kind: 'principal'; id: string };

function parseFilter(filter: string | null): Term[] {
  if (filter === null || filter.trim() === '') return [];
  return filter.split(/\s+and\s+/i).map((raw) => {
    const term = raw.trim();
    if (/^atScope\(\s*\)$/i.test(term)) return { kind: 'atScope' };
    const m = /^principalId\s+eq\s+'([^']+)'$/i.exec(term) ?? /^assignedTo\(\s*'([^']+)'\s*\)$/i.exec(term);
    if (m !== null) return { kind: 'principal', id: m[1]!.toLowerCase() };
    throw new ArmError(400, 'UnsupportedQuery', `The filter '${filter}' is not supported.`);
  });
}

/**
 * Role assignments that apply to a scope: those at it and above it (inherited), and below it, unless `atScope()`
 * asks for at-or-above only; `principalId eq '…'` / `assignedTo('…')` keep one principal's (no groups here).
 */
function listForScope(scopeId: string, ctx: RequestContext, hctx: HandlerContext): StoredResource[] {
  const terms = parseFilter(ctx.query.get('$filter'));
  const atScope = terms.some((t) => t.kind === 'atScope');
  const principals = terms.flatMap((t) => (t.kind === 'principal' ? [t.id] : []));
  return allAssignments(hctx)
    .filter((a) => contains(a.scope, scopeId) || (!atScope && contains(scopeId, a.scope)))
    .filter((a) => principals.every((id) => a.principalId.toLowerCase() === id))
    .map((a) => a.resource);
}

/**
 * Microsoft.Authorization/roleAssignments at any scope (subscription, resource group, resource, subnet): PUT by
 * GUID name (synchronous), GET, list for scope with ARM's `$filter`s, DELETE. A twin (same scope, principal and
 * role under another name) is 409 RoleAssignmentExists; the same PUT again succeeds; a principal the emulated
 * directory does not know yet is 400 PrincipalNotFound (see docs/emulator.md for the propagation window); the same
 * name with another principal or role is 400 RoleAssignmentUpdateNotPermitted; DELETE answers 200 with the assignment.
 */
export const roleAssignments: ResourceTypeHandler = {
  type: ROLE_ASSIGNMENT_TYPE,
  operationGroup: 'RoleAssignments',
  listOperation: 'RoleAssignments_ListForScope',
  provisioningState: false,
  deleteReturnsBody: true,
  lookup(path) {
    // Authorization's own not-found, instead of ARM's generic ResourceNotFound.
    throw new ArmError(404, 'RoleAssignmentNotFound', `The role assignment '${path.name ?? ''}' is not found.`);
  },
  validate,
  apply,
  list: listForScope,
};
