// The change history behind resourceVersion semantics: a bounded event log, live watchers, and replay.
import { badRequest, expired } from './errors.js';
import type { KubeObject } from './resources.js';
import { matchesFields, matchesLabels, type FieldRequirement, type LabelRequirement } from './selectors.js';

/** Watch event types as they appear on the wire. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

/** One event delivered to a watcher. */
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

/** One change the store committed, kept for replay while it is within the history window. */
export interface Change {
  rv: number;
  typeKey: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  /** The object before a MODIFIED change; decides selector transitions (ADDED/DELETED for a watcher). */
  old: KubeObject | undefined;
}

/** What a watcher is interested in: one type, optionally one namespace, narrowed by selectors. */
export interface WatchFilter {
  typeKey: string;
  namespace: string | undefined;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

interface Watcher {
  filter: WatchFilter;
  deliver: (event: WatchEvent) => void;
}

/** Whether an object passes a watch filter (namespace, labels, fields). */
export const matchesFilter = (f: WatchFilter, obj: KubeObject): boolean =>
  (f.namespace === undefined || obj.metadata.namespace === f.namespace) &&
  matchesLabels(f.labels, obj.metadata.labels) &&
  matchesFields(f.fields, obj);

/**
 * What a watcher with filter `f` sees of a change: an object that starts matching a selector arrives as ADDED, one
 * that stops matching leaves as DELETED, as the apiserver's watch cache does.
 */
const viewOf = (f: WatchFilter, change: Change): WatchEvent | undefined => {
  if (change.typeKey !== f.typeKey) return undefined;
  const now = matchesFilter(f, change.object);
  if (change.type !== 'MODIFIED')
    return now ? { type: change.type, object: structuredClone(change.object) } : undefined;
  const before = change.old !== undefined && matchesFilter(f, change.old);
  if (before && now) return { type: 'MODIFIED', object: structuredClone(change.object) };
  if (now) return { type: 'ADDED', object: structuredClone(change.object) };
  if (before) return { type: 'DELETED', object: structuredClone(change.object) };
  return undefined;
};

/** Bounded change log plus the live watchers fed from it. */
export class WatchHub {
  private readonly history: Change[] = [];
  private readonly watchers = new Set<Watcher>();
  /** Highest resourceVersion whose change has been dropped from history; a watch from below it is 410 Gone. */
  private compactedThrough = 0;

  constructor(private readonly historyLimit: number) {
    if (!(historyLimit >= 1)) throw new RangeError(`watch history must keep at least one event (got ${historyLimit})`);
  }

  /** Records a committed change and delivers it to every matching watcher, in commit order. */
  publish(change: Change): void {
    this.history.push(change);
    while (this.history.length > this.historyLimit) this.compactedThrough = this.history.shift()!.rv;
    for (const w of [...this.watchers]) {
      const event = viewOf(w.filter, change);
      if (event !== undefined) w.deliver(event);
    }
  }

  /** Throws 410 Expired if changes after `rv` may have been forgotten (a continue token or watch that is too old). */
  assertNotCompacted(rv: number, what: string): void {
    if (rv < this.compactedThrough) throw expired(`${what}: ${rv} (${this.compactedThrough + 1})`);
  }

  /**
   * Replays the changes after `fromRv` that match, then keeps delivering new ones until the returned function is
   * called. Throws 410 Expired when `fromRv` is older than the history window.
   */
  subscribe(filter: WatchFilter, fromRv: number, deliver: (event: WatchEvent) => void): () => void {
    if (!Number.isSafeInteger(fromRv) || fromRv < 0) throw badRequest(`invalid resource version "${fromRv}"`);
    this.assertNotCompacted(fromRv, 'too old resource version');
    for (const change of this.history) {
      if (change.rv <= fromRv) continue;
      const event = viewOf(filter, change);
      if (event !== undefined) deliver(event);
    }
    return this.add(filter, deliver);
  }

  /** Delivers only changes from now on (after the caller sent the current state itself). */
  add(filter: WatchFilter, deliver: (event: WatchEvent) => void): () => void {
    const watcher: Watcher = { filter, deliver };
    this.watchers.add(watcher);
    return () => void this.watchers.delete(watcher);
  }

  /** How many watchers are open (for tests and the request log's readers). */
  get watcherCount(): number {
    return this.watchers.size;
  }
}
