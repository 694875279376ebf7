// One generic object store for every kind the emulated API server serves: CRUD with resourceVersion semantics,
// selectors, paging, watch, and hooks for emulator logic (scheduler, connector) to react to changes.
import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import {
  alreadyExists,
  badRequest,
  conflict,
  invalid,
  notFound,
  staleResourceVersion,
  tooLargeResourceVersion,
} from './errors.js';
import { admitPod } from './admission.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { gracePeriodFor, prepareForCreate, prepareForWrite, rfc3339, validate, withCondition } from './kinds.js';
import { applyPatch, type PatchType } from './patch.js';
import { PodLogs } from './pod-logs.js';
import { checkPreconditions } from './preconditions.js';
import { groupVersion, normaliseObject, typeKey, type KubeObject, type ResourceType } from './resources.js';
import { TypeRegistry } from './type-registry.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { WatchHub, matchesFilter, type WatchEvent, type WatchFilter } from './watch-hub.js';

import type {
  CreateOptions,
  DeleteOptions,
  DeleteResult,
  Hook,
  HookEvent,
  KubeStoreOptions,
  ListOptions,
  ListResult,
  Selection,
  TypeRef,
  UpdateOptions,
  WatchOptions,
} from './store-types.js';

export type * from './store-types.js';
export type { WatchEvent, WatchEventType } from './watch-hub.js';

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const NAME_CHARS = 'bcdfghjklmnpqrstvwxz2456789';

const keyOf = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

/** Everything but metadata and status: what counts as the "spec" for metadata.generation. */
const specOf = (o: KubeObject): unknown =>
  Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'metadata' && k !== 'status'));

/**
 * The object store. Every read returns a copy and every write stores one, so nothing outside can change stored
 * state except through these methods. Failures throw KubeError with the reason the API would report.
 * Starts with the namespaces every cluster has: default, kube-system, kube-public, kube-node-lease.
 */
export class KubeStore {
  /** Per-container pod logs (GET pods/{name}/log reads these; whoever runs the pod appends). */
  readonly logs = new PodLogs();
  /** The types this server serves: built-ins and those its CRDs add. */
  readonly types = new TypeRegistry();
  private rv = 0;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly hub: WatchHub;
  private readonly hooks = new Map<string, Set<Hook>>();

  constructor(options: KubeStoreOptions = {}) {
    this.hub = new WatchHub(options.watchHistory ?? 1000);
    for (const name of SYSTEM_NAMESPACES)
      this.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  /** The latest resourceVersion handed out (the store's "now"). */
  get resourceVersion(): string {
    return String(this.rv);
  }

  get(ref: TypeRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const t = this.types.resolve(ref);
    const found = this.bucket(t).get(keyOf(t.namespaced ? namespace : undefined, name));
    return found === undefined ? undefined : structuredClone(found);
  }

  /** Like get, but throws 404 NotFound. */
  require(ref: TypeRef, namespace: string | undefined, name: string): KubeObject {
    const t = this.types.resolve(ref);
    const found = this.get(t, namespace, name);
    if (found === undefined) throw notFound(t.resource, t.group, name, t.kind);
    return found;
  }

  /** Objects matching a selection, ordered by namespace then name, paged with limit/continue. */
  list(ref: TypeRef, options: ListOptions = {}): ListResult {
    const t = this.types.resolve(ref);
    const filter = this.filterOf(t, options);
    let listRv = this.rv;
    let after = '';
    if (options.continue !== undefined && options.continue !== '') {
      ({ rv: listRv, start: after } = decodeContinue(options.continue));
      this.hub.assertNotCompacted(
        listRv,
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter',
      );
    }
    const keys = [...this.bucket(t).keys()].filter((k) => k > after).sort();
    const matching: [string, KubeObject][] = [];
    for (const k of keys) {
      const o = this.bucket(t).get(k)!;
      if (matchesFilter(filter, o)) matching.push([k, o]);
    }
    const limit = options.limit !== undefined && options.limit > 0 ? options.limit : matching.length;
    const page = matching.slice(0, limit);
    const result: ListResult = { items: page.map(([, o]) => structuredClone(o)), resourceVersion: String(listRv) };
    if (matching.length > limit) {
      result.continue = encodeContinue(listRv, page.at(-1)![0]);
      result.remainingItemCount = matching.length - limit;
    }
    return result;
  }

  /** Creates an object; `generateName` gets a random suffix. 409 AlreadyExists, 422 Invalid, 404 for a missing namespace. */
  create(ref: TypeRef, input: unknown, options: CreateOptions = {}): KubeObject {
    const t = this.types.resolve(ref);
    const o = normaliseObject(t, input, options.namespace);
    prepareForWrite(t, o);
    if (t.namespaced && this.get('namespaces', undefined, o.metadata.namespace!) === undefined) {
      throw notFound('namespaces', '', o.metadata.namespace!, 'Namespace');
    }
    const { generateName } = o.metadata;
    if ((o.metadata.name ?? '') === '' && typeof generateName === 'string' && generateName !== '') {
      do {
        o.metadata.name = generateName + Array.from(randomBytes(5), (b) => NAME_CHARS[b % NAME_CHARS.length]).join('');
      } while (this.bucket(t).has(keyOf(o.metadata.namespace, o.metadata.name)));
    }
    if ((o.metadata.name ?? '') === '') {
      throw invalid(t.kind, t.group, '', [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.name',
          message: 'Required value: name or generateName is required',
        },
      ]);
    }
    const uid = randomUUID();
    prepareForCreate(t, o, options.fromApi ?? true, uid);
    // Admission is for API writes; a scenario's objects are already "stored", as if admitted long ago.
    if (t.kind === 'Pod' && (options.fromApi ?? true)) admitPod(o, (ns, n) => this.get('serviceaccounts', ns, n));
    const causes = validate(t, o);
    if (causes.length > 0) throw invalid(t.kind, t.group, o.metadata.name!, causes);
    if (this.bucket(t).has(keyOf(o.metadata.namespace, o.metadata.name!)))
      throw alreadyExists(t.resource, t.group, o.metadata.name!);
    for (const k of ['deletionTimestamp', 'deletionGracePeriodSeconds', 'resourceVersion'] as const)
      delete o.metadata[k];
    Object.assign(o.metadata, { uid, creationTimestamp: rfc3339(new Date()), generation: 1 });
    if (options.dryRun === true) return o;
    return this.commit(t, 'ADDED', o, undefined);
  }

  /**
   * Replaces an object (namespace and name from its metadata). A resourceVersion in it must be the current one
   * (409 Conflict otherwise); without one the update is unconditional. A no-op update keeps the resourceVersion.
   */
  update(ref: TypeRef, input: unknown, options: UpdateOptions = {}): KubeObject {
    const t = this.types.resolve(ref);
    const o = normaliseObject(t, input, undefined);
    prepareForWrite(t, o);
    const current = this.require(t, o.metadata.namespace, o.metadata.name ?? '');
    if (
      o.metadata.resourceVersion !== undefined &&
      o.metadata.resourceVersion !== '' &&
      o.metadata.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw staleResourceVersion(t.resource, t.group, current.metadata.name!);
    }
    const hasStatus = t.subresources.includes('status');
    const next: KubeObject = options.subresource === 'status' ? { ...current, status: o.status } : o;
    if (options.subresource !== 'status' && hasStatus) next.status = current.status;
    if (next.status === undefined) delete next.status;
    // System-owned metadata survives any update.
    for (const k of [
      'uid',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
      'resourceVersion',
    ] as const) {
      if (current.metadata[k] === undefined) delete next.metadata[k];
      else next.metadata = { ...next.metadata, [k]: current.metadata[k] };
    }
    const causes = validate(t, next);
    if (causes.length > 0) throw invalid(t.kind, t.group, current.metadata.name!, causes);
    if (!isDeepStrictEqual(specOf(next), specOf(current)))
      next.metadata.generation = (current.metadata.generation ?? 1) + 1;
    if (isDeepStrictEqual(next, current) || options.dryRun === true) return next;
    if (
      next.metadata.deletionTimestamp !== undefined &&
      next.metadata.deletionGracePeriodSeconds === 0 &&
      (next.metadata.finalizers ?? []).length === 0
    ) {
      return this.commit(t, 'DELETED', next, current);
    }
    return this.commit(t, 'MODIFIED', next, current);
  }

  /**
   * Patches an object with any supported patch type. Server-side apply creates a missing object. A resourceVersion
   * the patch sets in metadata is a precondition (409 Conflict if stale), as with the apiserver.
   */
  patch(
    ref: TypeRef,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    body: unknown,
    options: UpdateOptions = {},
  ): KubeObject {
    const t = this.types.resolve(ref);
    const current = this.get(t, namespace, name);
    if (current === undefined) {
      if (type !== 'application/apply-patch+yaml' || options.subresource !== undefined)
        throw notFound(t.resource, t.group, name, t.kind);
      if (body === null || typeof body !== 'object' || Array.isArray(body))
        throw badRequest('an apply patch must be an object');
      const applied = body as KubeObject;
      return this.create(
        t,
        { ...applied, metadata: { ...applied.metadata, name } },
        { namespace, dryRun: options.dryRun },
      );
    }
    const patched = applyPatch(type, current, body) as KubeObject;
    if (patched === null || typeof patched !== 'object' || patched.metadata?.name !== name) {
      throw badRequest(
        `the name of the object (${String(patched?.metadata?.name)}) does not match the name on the URL (${name})`,
      );
    }
    if (t.namespaced && patched.metadata.namespace !== current.metadata.namespace) {
      throw badRequest('the namespace of the object does not match the namespace on the URL');
    }
    return this.update(t, patched, options);
  }

  /** Assigns an unbound pod to a node in one write (spec.nodeName and PodScheduled=True), as pods/binding does. */
  bind(namespace: string, name: string, nodeName: string): KubeObject {
    const t = this.types.resolve('pods');
    const current = this.require(t, namespace, name);
    const spec = (current.spec ?? {}) as Record<string, unknown>;
    if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
      throw conflict('pods/binding', '', name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    }
    if (current.metadata.deletionTimestamp !== undefined)
      throw conflict('pods/binding', '', name, `pod ${name} is being deleted`);
    const status = (current.status ?? {}) as Record<string, unknown>;
    const conditions = withCondition(status.conditions, { type: 'PodScheduled', status: 'True' });
    return this.commit(
      t,
      'MODIFIED',
      { ...current, spec: { ...spec, nodeName }, status: { ...status, conditions } },
      current,
    );
  }

  /**
   * Deletes an object. Pods running on a virtual node, and objects with finalizers, are only marked
   * (deletionTimestamp) until the provider deletes them with gracePeriodSeconds=0 or the finalizers go.
   * Deleting a namespace removes what is in it.
   */
  delete(ref: TypeRef, namespace: string | undefined, name: string, options: DeleteOptions = {}): DeleteResult {
    const t = this.types.resolve(ref);
    const current = this.require(t, namespace, name);
    checkPreconditions(t, current, options.preconditions);
    const grace = gracePeriodFor(t, current, options.gracePeriodSeconds, {
      getNode: (n) => this.get('nodes', undefined, n),
    });
    const finalizers = current.metadata.finalizers ?? [];
    if (grace > 0 || finalizers.length > 0) {
      const marked = structuredClone(current);
      const already = current.metadata.deletionGracePeriodSeconds;
      if (already === undefined || grace < already) {
        marked.metadata.deletionGracePeriodSeconds = grace;
        marked.metadata.deletionTimestamp = rfc3339(new Date(Date.now() + grace * 1000));
      }
      if (isDeepStrictEqual(marked, current) || options.dryRun === true) return { object: marked, removed: false };
      if (grace === 0 && finalizers.length === 0)
        return { object: this.commit(t, 'DELETED', marked, current), removed: true };
      return { object: this.commit(t, 'MODIFIED', marked, current), removed: false };
    }
    if (options.dryRun === true) return { object: current, removed: true };
    if (t.kind === 'Namespace') this.emptyNamespace(name);
    return { object: this.commit(t, 'DELETED', current, current), removed: true };
  }

  /**
   * Streams changes to `deliver` until the returned function is called. 410 Expired for a compacted resourceVersion,
   * 504 Timeout (ResourceVersionTooLarge) for one newer than the store's.
   */
  watch(ref: TypeRef, options: WatchOptions, deliver: (event: WatchEvent) => void): () => void {
    const t = this.types.resolve(ref);
    const filter = this.filterOf(t, options);
    const rv = options.resourceVersion ?? '';
    if (rv !== '' && rv !== '0' && options.sendInitialEvents !== true) {
      if (!/^\d+$/.test(rv)) throw badRequest(`invalid resource version "${rv}"`);
      // The apiserver waits up to 3 s for its cache to reach the version, then fails; nothing lags here, so at once.
      if (Number(rv) > this.rv) throw tooLargeResourceVersion(Number(rv), this.rv);
      return this.hub.subscribe(filter, Number(rv), deliver);
    }
    for (const o of this.bucket(t).values())
      if (matchesFilter(filter, o)) deliver({ type: 'ADDED', object: structuredClone(o) });
    if (options.sendInitialEvents === true) {
      deliver({ type: 'BOOKMARK', object: this.bookmark(t, { 'k8s.io/initial-events-end': 'true' }) });
    }
    return this.hub.add(filter, deliver);
  }

  /** A BOOKMARK object for type `t` at the current resourceVersion. */
  bookmark(ref: TypeRef, annotations?: Record<string, string>): KubeObject {
    const t = this.types.resolve(ref);
    return {
      apiVersion: groupVersion(t),
      kind: t.kind,
      metadata: { resourceVersion: this.resourceVersion, ...(annotations === undefined ? {} : { annotations }) },
    };
  }

  /** Calls `fn` after each change of that kind ("Pod", or a plural like "pods"); returns the unsubscribe function. */
  on(kind: TypeRef, event: HookEvent, fn: Hook): () => void {
    const key = `${this.types.resolve(kind).kind}:${event}`;
    let set = this.hooks.get(key);
    if (set === undefined) this.hooks.set(key, (set = new Set()));
    set.add(fn);
    return () => void set.delete(fn);
  }

  private commit(
    t: ResourceType,
    type: 'ADDED' | 'MODIFIED' | 'DELETED',
    o: KubeObject,
    old: KubeObject | undefined,
  ): KubeObject {
    this.rv += 1;
    const stored = structuredClone(o);
    stored.metadata.resourceVersion = String(this.rv);
    const key = keyOf(stored.metadata.namespace, stored.metadata.name!);
    if (type === 'DELETED') this.bucket(t).delete(key);
    else this.bucket(t).set(key, stored);
    if (type === 'DELETED' && t.kind === 'Pod') this.logs.drop(stored.metadata.namespace!, stored.metadata.name!);
    this.hub.publish({ rv: this.rv, typeKey: typeKey(t), type, object: stored, old });
    const event: HookEvent = type === 'ADDED' ? 'created' : type === 'MODIFIED' ? 'updated' : 'deleted';
    for (const hook of [...(this.hooks.get(`${t.kind}:${event}`) ?? [])]) {
      try {
        hook(structuredClone(stored), old);
      } catch (err) {
        // A misbehaving hook must not undo a committed change or break the request that made it.
        process.emitWarning(
          `kube store ${t.kind} ${event} hook failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    return structuredClone(stored);
  }

  private emptyNamespace(namespace: string): void {
    for (const [k, bucket] of this.objects) {
      for (const o of [...bucket.values()]) {
        if (o.metadata.namespace === namespace) this.commit(this.types.resolve(k), 'DELETED', o, o);
      }
    }
  }

  private bucket(t: ResourceType): Map<string, KubeObject> {
    let b = this.objects.get(typeKey(t));
    if (b === undefined) this.objects.set(typeKey(t), (b = new Map()));
    return b;
  }

  private filterOf(t: ResourceType, s: Selection): WatchFilter {
    const fields = parseFieldSelector(s.fieldSelector);
    for (const f of fields) {
      if (f.field !== 'metadata.name' && f.field !== 'metadata.namespace' && !t.fields.includes(f.field)) {
        throw badRequest(`field label not supported: ${f.field}`);
      }
    }
    const namespace = t.namespaced && s.namespace !== undefined && s.namespace !== '' ? s.namespace : undefined;
    return { typeKey: typeKey(t), namespace, labels: parseLabelSelector(s.labelSelector), fields };
  }
}
