import { randomUUID } from 'node:crypto';
import { idKey } from './ids.js';

/** A JSON object as ARM sends and stores it. */
export type Json = Record<string, unknown>;

/** One stored ARM resource. `body` is what GET returns; `etag` is its current entity tag. */
export interface StoredResource {
  /** Id in the casing it was created with. */
  readonly id: string;
  /** Full type in canonical casing ('Microsoft.Network/virtualNetworks/subnets'). */
  readonly type: string;
  readonly body: Json;
  readonly etag: string;
}

/**
 * A fresh entity tag in the form the type's provider uses: AKS (Microsoft.ContainerService) sends bare GUIDs,
 * Microsoft.Network and the rest here weak quoted ones (`W/"<uuid>"`).
 */
export const newEtag = (type = ''): string =>
  type.toLowerCase().startsWith('microsoft.containerservice/') ? randomUUID() : `W/"${randomUUID()}"`;

/**
 * Resources that share one ETag (Microsoft.Network: a VNet and its subnets): the group's root id and the body
 * property the ETag is mirrored in, or undefined for a resource that keeps its own.
 */
export type EtagGroupOf = (id: string, type: string) => { root: string; property: 'etag' | 'eTag' } | undefined;

/**
 * Every ARM resource the emulator knows, keyed by lower-cased id (ids are case-insensitive in ARM) and indexed by
 * type so a list is a scan of one type. Bodies are stored as given and treated as immutable: change a resource with
 * `put`, never by mutating a body you read.
 */
export class ResourceStore {
  private readonly byId = new Map<string, StoredResource>();
  private readonly byType = new Map<string, Map<string, StoredResource>>();
  private readonly listeners = new Set<(id: string) => void>();

  /** `etagGroupOf` names the resources that share one ETag: a write to any of them re-tags them all. */
  constructor(private readonly etagGroupOf: EtagGroupOf = () => undefined) {}

  get(id: string): StoredResource | undefined {
    return this.byId.get(idKey(id));
  }

  has(id: string): boolean {
    return this.byId.has(idKey(id));
  }

  /**
   * Creates or replaces a resource under `id` (its casing is what `StoredResource.id` reports); a new etag unless
   * given. In an ETag group every member takes that etag (mirrored in its body).
   */
  put(id: string, type: string, body: Json, etag: string = newEtag(type)): StoredResource {
    const key = idKey(id);
    const existing = this.byId.get(key);
    const resource: StoredResource = { id: id.replace(/\/+$/, ''), type, body, etag };
    if (existing !== undefined && existing.type.toLowerCase() !== type.toLowerCase()) this.unindex(existing);
    this.byId.set(key, resource);
    let ofType = this.byType.get(type.toLowerCase());
    if (ofType === undefined) {
      ofType = new Map();
      this.byType.set(type.toLowerCase(), ofType);
    }
    ofType.set(key, resource);
    const group = this.etagGroupOf(resource.id, type);
    if (group !== undefined) this.retag(group.root, group.property, etag);
    this.changed(resource.id);
    return this.byId.get(key) ?? resource;
  }

  /** Removes one resource (not its children); returns what was removed. */
  delete(id: string): StoredResource | undefined {
    const existing = this.byId.get(idKey(id));
    if (existing !== undefined) {
      this.byId.delete(idKey(id));
      this.unindex(existing);
      // Removing a member changes the group (a VNet without that subnet): the rest get a new etag.
      const group = this.etagGroupOf(existing.id, existing.type);
      const root = group === undefined ? undefined : this.byId.get(idKey(group.root));
      if (group !== undefined && root !== undefined) this.retag(root.id, group.property, newEtag(root.type));
      this.changed(existing.id);
    }
    return existing;
  }

  /** Removes a resource and everything below it (children, extension resources); returns what was removed. */
  deleteTree(id: string): StoredResource[] {
    const prefix = `${idKey(id)}/`;
    const doomed = [...this.byId.values()].filter((r) => idKey(r.id) === idKey(id) || idKey(r.id).startsWith(prefix));
    for (const r of doomed) this.delete(r.id);
    return doomed;
  }

  /** Resources of `type` anywhere below `scopeId` ('/subscriptions/s' lists the whole subscription), in insertion order. */
  list(type: string, scopeId: string): StoredResource[] {
    const prefix = `${idKey(scopeId)}/`;
    const ofType = this.byType.get(type.toLowerCase());
    if (ofType === undefined) return [];
    return [...ofType.entries()].filter(([key]) => key.startsWith(prefix)).map(([, r]) => r);
  }

  /** Every resource, in insertion order. */
  all(): StoredResource[] {
    return [...this.byId.values()];
  }

  /** Calls `fn` with the id after every put and delete (emulated Azure components follow the store); returns `off()`. */
  onChange(fn: (id: string) => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  private changed(id: string): void {
    for (const fn of this.listeners) fn(id);
  }

  /** Gives every member of the group rooted at `rootId` the etag, mirrored in its body (not a change listeners see). */
  private retag(rootId: string, property: 'etag' | 'eTag', etag: string): void {
    const rootKey = idKey(rootId);
    for (const [key, r] of this.byId) {
      if (key !== rootKey && !key.startsWith(`${rootKey}/`)) continue;
      const group = this.etagGroupOf(r.id, r.type);
      if (group === undefined || idKey(group.root) !== rootKey) continue;
      if (r.etag === etag && r.body[property] === etag) continue;
      const tagged: StoredResource = { ...r, etag, body: { ...r.body, [property]: etag } };
      this.byId.set(key, tagged);
      this.byType.get(r.type.toLowerCase())?.set(key, tagged);
    }
  }

  private unindex(resource: StoredResource): void {
    this.byType.get(resource.type.toLowerCase())?.delete(idKey(resource.id));
  }
}
