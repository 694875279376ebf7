import type { RequestKind } from '../request-log.js';
import type { Scenario } from '../scenario/model.js';
import type { ArmResult, RequestContext } from './context.js';
import type { ArmError } from './errors.js';
import type { ArmPath } from './ids.js';
import type { LroHeaders } from './lro.js';
import type { ArmServices } from './services.js';
import type { Json, ResourceStore, StoredResource } from './store.js';

/** What a handler may read and change besides the request: the store, the scenario, the clock, the services. */
export interface HandlerContext {
  readonly store: ResourceStore;
  readonly scenario: Scenario;
  readonly now: () => number;
  readonly services: ArmServices;
}

/** A PUT or PATCH as the type handler sees it, after the generic checks (subscription, group, parent, If-Match). */
export interface WriteRequest {
  method: 'PUT' | 'PATCH';
  /** The resource id (the stored casing when it exists). */
  id: string;
  path: ArmPath;
  /** PUT: the request body. PATCH: the request body merged (JSON merge patch) over the current body. */
  body: Json;
  /** The resource as stored before this write; undefined on create. */
  current: StoredResource | undefined;
  apiVersion: string;
  /**
   * Scratch for this one write: what `validate` found that `apply` and `afterWrite` need (the subnets a VNet PUT
   * may delete, the address a container group gets). The front starts every write with an empty one; read and
   * fill it through `scratch(req)`, which also gives a request built by an emulated component one.
   */
  data?: Record<string, unknown>;
}

/** The write's scratch (created on first use for requests built without one). */
export const scratch = (req: WriteRequest): Record<string, unknown> => (req.data ??= {});

/** A POST (or GET) verb on a resource: `…/managedClusters/c1/listClusterUserCredential`. */
export interface ActionRequest {
  /** The resource the action is on. */
  resource: StoredResource;
  ctx: RequestContext;
}

/** One verb of a resource type. */
export interface ActionSpec {
  /** Default POST. */
  method?: 'POST' | 'GET';
  /** Operation name for the log; default `<Group>_<Verb>` ('ManagedClusters_ListClusterUserCredential'). */
  operation?: string;
  /** Default 'action'; say 'write' for verbs that change state. */
  kind?: RequestKind;
  run(req: ActionRequest, hctx: HandlerContext): ArmResult | Promise<ArmResult>;
}

/** Long-running behaviour of a type's writes. */
export interface LroSpec {
  put?: boolean;
  delete?: boolean;
  /** Which headers announce the operation (default both Azure-AsyncOperation and Location). */
  headers?: LroHeaders;
}

/**
 * One resource type behind the generic ARM front. The front does routing, auth, api-versions, subscription /
 * resource group / parent existence, If-Match, the LRO dance, paging and the error envelope; a handler only
 * validates and applies. Every hook is optional: `{ type }` alone is a plain stored resource.
 */
export interface ResourceTypeHandler {
  /** Full type, canonical casing: 'Microsoft.Network/virtualNetworks/subnets'. */
  type: string;
  /** api-versions this type accepts; default: the type's row in api-versions.ts. */
  apiVersions?: readonly string[];
  /** Operation group in operation names ('Subnets' → Subnets_Get); default: the type's last segment, capitalised. */
  operationGroup?: string;
  /** Operation name of a list, when ARM's is not `<Group>_List[ByResourceGroup]` ('RoleAssignments_ListForScope'). */
  listOperation?: string;
  /** Writes that are long-running (`true` = PUT and DELETE). */
  lro?: boolean | LroSpec;
  /** Body property that mirrors the ETag ('etag' for Network, 'eTag' for AKS); default: header only. */
  etagProperty?: 'etag' | 'eTag';
  /** Keep `properties.provisioningState` (Creating/Updating/Deleting → Succeeded/Failed). Default true. */
  provisioningState?: boolean;
  /** Reject a PUT/PATCH with an ARM error (400 InvalidRequestFormat, 409 …); undefined lets it through. */
  validate?(req: WriteRequest, hctx: HandlerContext): ArmError | undefined;
  /**
   * The body to store for a validated write (fill read-only fields, normalise). Default: the request body with
   * `id`, `name`, `type` set and `location` normalised ('East US' → 'eastus'). The front then adds
   * provisioningState and the etag property.
   */
  apply?(req: WriteRequest, hctx: HandlerContext): Json;
  /** The body GET, list and write responses show, when part of it lives in other resources (a VNet's subnets). */
  view?(resource: StoredResource, hctx: HandlerContext): Json;
  /** The body a list shows, when it differs from `view` (ACI's lists leave out the instance view). */
  listView?(resource: StoredResource, hctx: HandlerContext): Json;
  /**
   * Side effects once a write has succeeded (at once, or when its LRO succeeds): update a parent, create an identity.
   * `req` is the write that was validated.
   */
  afterWrite?(resource: StoredResource, hctx: HandlerContext, req: WriteRequest): void;
  /** A synchronous DELETE answers 200 with the deleted resource as body (role assignments), not an empty 200. */
  deleteReturnsBody?: boolean;
  /** Refuse a DELETE (409 InUse…); undefined lets it through. */
  validateDelete?(current: StoredResource, hctx: HandlerContext): ArmError | undefined;
  /** Side effects after a resource (and everything below it) is removed. */
  onDelete?(removed: StoredResource, hctx: HandlerContext): void;
  /** Called for each scenario resource of this type after the scenario is loaded (e.g. expand a VNet's subnets). */
  onLoad?(resource: StoredResource, hctx: HandlerContext): void;
  /**
   * A resource GET (and a verb on it) finds when the store has none at that id (built-in role definitions exist at every scope); it may
   * throw the type's own not-found error instead of ARM's generic ResourceNotFound.
   */
  lookup?(path: ArmPath, hctx: HandlerContext): StoredResource | undefined;
  /** Custom list (e.g. role assignments with $filter); default: every resource of the type below the scope. */
  list?(scopeId: string, ctx: RequestContext, hctx: HandlerContext): StoredResource[];
  /** Verbs on a resource of this type, keyed by the last path segment (case-insensitive). */
  actions?: Record<string, ActionSpec>;
}
