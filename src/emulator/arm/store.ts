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

/** A fresh weak entity tag, the form Microsoft.Network uses (`W/"<uuid>"`). */
export const newEtag = (): string => `W/"${randomUUID()}"`;

/** Deep copy of a JSON value, so what a client gets back never aliases what the store keeps. */
export const cloneJson = <T>(value: T): T => structuredClone(value);

/**
 * Every ARM resource the emulator knows, keyed by lower-cased id (ids are case-insensitive in ARM) and indexed by
 * type so a list is a scan of one type. Bodies are stored as given and treated as immutable: change a resource with
 * `put`, never by mutating a body you read.
 */
export class ResourceStore {
  private readonly byId = new Map<string, StoredResource>();
  private readonly byType = new Map<string, Map<string, StoredResource>>();
  private readonly listeners = new Set<(id: string) => void>();

  get(id: string): StoredResource | undefined {
    return this.byId.get(idKey(id));
  }

  has(id: string): boolean {
    return this.byId.has(idKey(id));
  }

  /** Creates or replaces a resource under `id` (its casing is what `StoredResource.id` reports); a new etag unless given. */
  put(id: string, type: string, body: Json, etag: string = newEtag()): StoredResource {
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
    this.changed(resource.id);
    return resource;
  }

  /** Removes one resource (not its children); returns what was removed. */
  delete(id: string): StoredResource | undefined {
    const existing = this.byId.get(idKey(id));
    if (existing !== undefined) {
      this.byId.delete(idKey(id));
      this.unindex(existing);
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

  private unindex(resource: StoredResource): void {
    this.byType.get(resource.type.toLowerCase())?.delete(idKey(resource.id));
  }
}
