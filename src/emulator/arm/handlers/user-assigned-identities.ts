import { randomUUID } from 'node:crypto';
import { jsonObject } from '../context.js';
import type { HandlerContext, ResourceTypeHandler } from '../handler.js';
import { normalizeLocation } from '../scope.js';
import { type Json, newEtag, type StoredResource } from '../store.js';

/** Full type of a user-assigned managed identity, canonical casing. */
export const IDENTITY_TYPE = 'Microsoft.ManagedIdentity/userAssignedIdentities';

/** The directory side of an identity: who it is to role assignments and tokens. */
export interface IdentityPrincipal {
  principalId: string;
  clientId: string;
  tenantId: string;
}

const propertiesOf = (body: Json): Json => jsonObject(body.properties) ?? {};

/** An identity's principal (what its body reports), or undefined for a body without one. */
export function principalOf(identity: StoredResource): IdentityPrincipal | undefined {
  const p = propertiesOf(identity.body);
  if (typeof p.principalId !== 'string' || typeof p.clientId !== 'string') return undefined;
  return { principalId: p.principalId, clientId: p.clientId, tenantId: String(p.tenantId ?? '') };
}

/** When the identity was created, from its systemData (epoch ms); 0 when unknown (scenario identities). */
function createdAt(identity: StoredResource): number {
  const at = jsonObject(identity.body.systemData)?.createdAt;
  const ms = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * The body of a new identity: fresh principal and client ids in the scenario's tenant, and systemData saying when
 * it was made (the directory takes a while to learn about it, see role-assignments.ts).
 */
function identityBody(
  id: string,
  name: string,
  location: string,
  hctx: HandlerContext,
  extra: { tags?: Json; createdBy?: string } = {},
): Json {
  const at = new Date(hctx.now()).toISOString();
  return {
    id,
    name,
    type: IDENTITY_TYPE,
    location: normalizeLocation(location),
    tags: extra.tags ?? {},
    properties: { tenantId: hctx.scenario.subscription.tenantId, principalId: randomUUID(), clientId: randomUUID() },
    systemData: {
      createdBy: extra.createdBy ?? 'vnodes-emulator',
      createdByType: extra.createdBy === undefined ? 'User' : 'Application',
      createdAt: at,
      lastModifiedBy: extra.createdBy ?? 'vnodes-emulator',
      lastModifiedByType: extra.createdBy === undefined ? 'User' : 'Application',
      lastModifiedAt: at,
    },
  };
}

/** Stores a new identity unless one is there already; returns what is stored. */
export function ensureIdentity(
  hctx: HandlerContext,
  id: string,
  name: string,
  location: string,
  extra: { tags?: Json; createdBy?: string } = {},
): StoredResource {
  const existing = hctx.store.get(id);
  if (existing !== undefined) return existing;
  return hctx.store.put(id, IDENTITY_TYPE, identityBody(id, name, location, hctx, extra), newEtag());
}

/** A principal of the emulated directory (a managed identity's service principal). */
export interface DirectoryEntry {
  /** 'ServicePrincipal' for managed identities (the principalType role assignments report). */
  type: string;
  /** Epoch ms when the directory heard of it (0: always known). */
  createdAt: number;
  objectId: string;
  /** The application (client) id, when its resource says. */
  appId?: string;
  displayName: string;
  /** ARM id of the identity resource (user-assigned) or of the resource it belongs to (system-assigned). */
  resourceId: string;
}

/** Every principal the emulated directory knows, by lower-cased object id: identities, and the identities clusters report. */
export function knownPrincipals(hctx: HandlerContext): Map<string, DirectoryEntry> {
  const out = new Map<string, DirectoryEntry>();
  const add = (entry: DirectoryEntry): void => {
    if (!out.has(entry.objectId.toLowerCase())) out.set(entry.objectId.toLowerCase(), entry);
  };
  for (const identity of hctx.store.list(IDENTITY_TYPE, '')) {
    const p = principalOf(identity);
    const displayName = String(identity.body.name ?? identity.id.slice(identity.id.lastIndexOf('/') + 1));
    if (p !== undefined)
      add({
        type: 'ServicePrincipal',
        createdAt: createdAt(identity),
        objectId: p.principalId,
        appId: p.clientId,
        displayName,
        resourceId: identity.id,
      });
  }
  for (const cluster of hctx.store.list('Microsoft.ContainerService/managedClusters', '')) {
    const system = jsonObject(cluster.body.identity)?.principalId;
    const name = String(cluster.body.name ?? '');
    if (typeof system === 'string')
      add({ type: 'ServicePrincipal', createdAt: 0, objectId: system, displayName: name, resourceId: cluster.id });
    for (const [key, v] of Object.entries(jsonObject(propertiesOf(cluster.body).identityProfile) ?? {})) {
      const { objectId, clientId, resourceId } = jsonObject(v) ?? {};
      if (typeof objectId !== 'string') continue;
      const id = typeof resourceId === 'string' ? resourceId : cluster.id;
      add({
        type: 'ServicePrincipal',
        createdAt: 0,
        objectId,
        ...(typeof clientId === 'string' ? { appId: clientId } : {}),
        displayName: id.slice(id.lastIndexOf('/') + 1) || `${name}-${key}`,
        resourceId: id,
      });
    }
  }
  return out;
}

/**
 * Microsoft.ManagedIdentity/userAssignedIdentities: PUT is synchronous and gives the identity its principal and
 * client ids (kept on later PUTs, whatever the body says); there is no provisioningState, as in Azure.
 */
export const userAssignedIdentities: ResourceTypeHandler = {
  type: IDENTITY_TYPE,
  operationGroup: 'UserAssignedIdentities',
  provisioningState: false,
  apply(req, hctx) {
    const name = String(req.current?.body.name ?? req.path.name);
    const location =
      typeof req.body.location === 'string' ? req.body.location : String(req.current?.body.location ?? 'eastus');
    const tags = jsonObject(req.body.tags) ?? {};
    if (req.current === undefined) return identityBody(req.id, name, location, hctx, { tags });
    return { ...req.current.body, tags, location: normalizeLocation(location) };
  },
};
