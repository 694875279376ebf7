// The option and result types of KubeStore, apart so the store itself reads as behaviour.
import type { KubeObject, ResourceType } from './resources.js';

/** How callers name a type: "pods", "Pod", "po", "apps/v1/deployments", or a ResourceType. */
export type TypeRef = string | ResourceType;

/** Store changes hooks can follow. */
export type HookEvent = 'created' | 'updated' | 'deleted';

/** A hook: the object after the change (for 'deleted', its last state) and, for updates, the one before. */
export type Hook = (object: KubeObject, old: KubeObject | undefined) => void;

/** Which objects a list or watch covers. Selectors use the query-string syntax. */
export interface Selection {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}

/** List options: a selection plus paging. */
export interface ListOptions extends Selection {
  limit?: number | undefined;
  continue?: string | undefined;
}

/** One page of a list. `continue` is set when more items remain. */
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** Watch options. Without a resourceVersion (or with "0") the current objects arrive first as ADDED events. */
export interface WatchOptions extends Selection {
  resourceVersion?: string | undefined;
  /** Send current objects as ADDED even when resourceVersion is given, then a BOOKMARK marking their end. */
  sendInitialEvents?: boolean | undefined;
}

/** Create options. `fromApi: false` (initial objects) keeps a given status. */
export interface CreateOptions {
  namespace?: string | undefined;
  dryRun?: boolean | undefined;
  fromApi?: boolean | undefined;
}

/** Update options: `subresource: 'status'` changes only the status, anything else leaves the status alone. */
export interface UpdateOptions {
  subresource?: 'status' | undefined;
  dryRun?: boolean | undefined;
}

/** Delete options, as in DeleteOptions. */
export interface DeleteOptions {
  gracePeriodSeconds?: number | undefined;
  preconditions?: { uid?: string | undefined; resourceVersion?: string | undefined } | undefined;
  dryRun?: boolean | undefined;
}

/** A delete's outcome: `removed` is false when the object was only marked (deletionTimestamp) for later removal. */
export interface DeleteResult {
  object: KubeObject;
  removed: boolean;
}

/** Options of a store. */
export interface KubeStoreOptions {
  /** How many changes watches can resume from; older resourceVersions get 410 Gone. Default 1,000. */
  watchHistory?: number;
}
