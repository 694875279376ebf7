// List then watch, as client-go's reflector does: a list gives the objects and a resourceVersion, a watch from it gives
// changes; a watch that ends is resumed from the last version seen, and a 410 Gone (the version is too old) or a
// failed resume triggers a fresh list, whose differences from the cache become upserts and deletes.
import { KubeHttpError, type KubeJson } from './raw.js';

/** What the informer tells its owner. */
export interface InformerHandlers<T> {
  upsert(object: T): void;
  remove(object: T): void;
  /** After each list (the first included): the cache is complete. */
  synced?(relist: boolean): void;
  /** A watch dropped or a list failed; the informer retries by itself. */
  trouble?(message: string): void;
}

/** A running informer. */
export interface Informer<T> {
  /** Resolves after the first list. */
  readonly ready: Promise<void>;
  list(): T[];
  stop(): void;
}

interface Meta {
  metadata?: { namespace?: string; name?: string; resourceVersion?: string };
}
const keyOf = (o: Meta): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;

/** Informs about a collection path (`/api/v1/pods`) with a field selector. */
export function startInformer<T extends Meta>(
  kube: KubeJson,
  path: string,
  query: Record<string, string>,
  handlers: InformerHandlers<T>,
  options: { retryMs?: number; timeoutSeconds?: number } = {},
): Informer<T> {
  const cache = new Map<string, T>();
  const controller = new AbortController();
  const retryMs = options.retryMs ?? 1000;
  let version = '';
  let first = true;
  const qs = (extra: Record<string, string>): string => `?${new URLSearchParams({ ...query, ...extra })}`;

  async function relist(): Promise<void> {
    const list = await kube.request<{ items: T[]; metadata: { resourceVersion: string } }>('GET', `${path}${qs({})}`);
    version = list.metadata.resourceVersion;
    const seen = new Set<string>();
    for (const item of list.items) {
      const key = keyOf(item);
      seen.add(key);
      const before = cache.get(key);
      cache.set(key, item);
      if (before?.metadata?.resourceVersion !== item.metadata?.resourceVersion) handlers.upsert(item);
    }
    for (const [key, item] of cache)
      if (!seen.has(key)) {
        cache.delete(key);
        handlers.remove(item);
      }
    handlers.synced?.(!first);
    first = false;
  }

  async function watchOnce(): Promise<void> {
    await kube.stream(
      `${path}${qs({ watch: '1', resourceVersion: version, allowWatchBookmarks: 'true', timeoutSeconds: String(options.timeoutSeconds ?? 300) })}`,
      (line) => {
        const event = line as { type: string; object: T & { code?: number; message?: string } };
        if (event.type === 'ERROR')
          throw new KubeHttpError(event.object.code ?? 500, event.object.message ?? 'watch error');
        if (event.object.metadata?.resourceVersion) version = event.object.metadata.resourceVersion;
        if (event.type === 'BOOKMARK') return;
        const key = keyOf(event.object);
        if (event.type === 'DELETED') {
          cache.delete(key);
          handlers.remove(event.object);
        } else {
          cache.set(key, event.object);
          handlers.upsert(event.object);
        }
      },
      controller.signal,
    );
  }

  const sleep = (ms: number): Promise<void> =>
    new Promise((r) => {
      const t = setTimeout(r, ms);
      controller.signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
    });

  const ready = (async () => {
    for (;;) {
      try {
        await relist();
        return;
      } catch (error) {
        if (controller.signal.aborted) return;
        handlers.trouble?.(`listing ${path} failed: ${(error as Error).message}`);
        await sleep(retryMs);
      }
    }
  })();

  void (async () => {
    await ready;
    let needList = false;
    while (!controller.signal.aborted) {
      try {
        if (needList) await relist();
        needList = false;
        await watchOnce();
      } catch (error) {
        if (controller.signal.aborted) return;
        const gone = error instanceof KubeHttpError && error.code === 410;
        handlers.trouble?.(
          gone
            ? 'watch expired (410 Gone): listing again'
            : `watch dropped: ${(error as Error).message}; listing again`,
        );
        // A resume after a failure may have missed deletes the server no longer replays: list again either way.
        needList = true;
        if (!gone) await sleep(retryMs);
      }
    }
  })();

  return { ready, list: () => [...cache.values()], stop: () => controller.abort() };
}
