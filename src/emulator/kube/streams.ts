// Long-lived responses: watch streams (JSON lines of watch events) and pod logs (plain text, optionally followed).
import { KubeError, badRequest } from './errors.js';
import type { Call } from './http.js';
import { tailLines } from './pod-logs.js';
import type { ResourceRoute } from './routes.js';
import type { KubeStore, WatchEvent } from './store.js';
import { parseIncludeObject, tableContentType, tableVersionWanted, toTable } from './table.js';

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What streaming handlers need: the store, the bookmark period, and a registry so `close()` can end streams. */
export interface StreamDeps {
  store: KubeStore;
  bookmarkIntervalMs: number;
  /** Registers a stream's closer; returns the function that unregisters it. */
  track(close: () => void): () => void;
}

/**
 * `?watch=1`: replays from resourceVersion (or sends current objects as ADDED), then streams changes. A compacted
 * resourceVersion, or one newer than the store's, is answered the apiserver's way: 200, one ERROR event carrying
 * the Status (410 Expired; 504 Timeout "Too large resource version"), end.
 */
export const serveWatch = (deps: StreamDeps, call: Call, route: ResourceRoute): void => {
  const { store } = deps;
  const t = route.type;
  const table = tableVersionWanted(call.req.headers.accept);
  const includeObject = parseIncludeObject(call.param('includeObject'));
  const timeoutSeconds = call.int('timeoutSeconds');
  const resourceVersion = call.param('resourceVersion');
  const sendInitialEvents = call.query.has('sendInitialEvents') ? call.flag('sendInitialEvents') : undefined;
  const options = {
    namespace: route.namespace,
    labelSelector: call.param('labelSelector'),
    fieldSelector:
      call.param('fieldSelector') ?? (route.name === undefined ? undefined : `metadata.name=${route.name}`),
    resourceVersion,
    sendInitialEvents,
  };
  const encode = (e: WatchEvent | { type: 'ERROR'; object: unknown }): string => {
    const object =
      table !== undefined && (e.type === 'ADDED' || e.type === 'MODIFIED' || e.type === 'DELETED')
        ? toTable(t, [e.object as WatchEvent['object']], { version: table, includeObject })
        : e.object;
    return `${JSON.stringify({ type: e.type, object })}\n`;
  };
  // A hook may change the store while the client is going away; never write to a finished response.
  const send = (line: string): void => void (call.res.writable && call.res.write(line));
  // Events the store delivers while subscribing (the replay) are held until we know the watch is valid.
  let pending: string[] | undefined = [];
  let stop: (() => void) | undefined;
  try {
    stop = store.watch(t, options, (e) => (pending === undefined ? send(encode(e)) : pending.push(encode(e))));
  } catch (err) {
    if (!(err instanceof KubeError) || (err.code !== 410 && err.code !== 504)) throw err;
    call.stream('application/json');
    call.res.end(encode({ type: 'ERROR', object: err.toStatus() }));
    return;
  }
  call.stream(table === undefined ? 'application/json' : tableContentType(table));
  for (const line of pending) send(line);
  pending = undefined;
  const timers: NodeJS.Timeout[] = [];
  let untrack = (): void => {};
  const finish = (): void => {
    stop?.();
    stop = undefined;
    for (const timer of timers) clearTimeout(timer);
    untrack();
    if (!call.res.writableEnded) call.res.end();
  };
  if (call.flag('allowWatchBookmarks')) {
    timers.push(
      setInterval(() => send(encode({ type: 'BOOKMARK', object: store.bookmark(t) })), deps.bookmarkIntervalMs),
    );
  }
  // Clamped: setTimeout fires at once (with a warning) for a delay above 2^31-1 ms, about 24.8 days.
  if (timeoutSeconds !== undefined && timeoutSeconds > 0)
    timers.push(setTimeout(finish, Math.min(timeoutSeconds * 1000, MAX_TIMER_MS)));
  untrack = deps.track(finish);
  call.res.on('close', finish);
};

/** `pods/{name}/log`: a container's buffered log, with tailLines/limitBytes, and `follow=true` streaming. */
export const serveLog = (deps: StreamDeps, call: Call, route: ResourceRoute): void => {
  const { store } = deps;
  const namespace = route.namespace!;
  const name = route.name!;
  const pod = store.require('pods', namespace, name);
  const spec = (pod.spec ?? {}) as {
    containers?: { name: string }[];
    initContainers?: { name: string }[];
    nodeName?: string;
  };
  const names = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].map((c) => c.name);
  const defaultContainer = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  const container =
    call.param('container') ??
    defaultContainer ??
    (spec.containers?.length === 1 ? spec.containers[0]!.name : undefined);
  if (container === undefined) {
    throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
  }
  if (!names.includes(container)) throw badRequest(`container ${container} is not valid for pod ${name}`);
  if (call.flag('previous'))
    throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`);
  let text = store.logs.read(namespace, name, container);
  if (text === '' && (spec.nodeName ?? '') === '') {
    throw badRequest(`container "${container}" in pod "${name}" is waiting to start: ContainerCreating`);
  }
  const tail = call.int('tailLines');
  if (tail !== undefined && tail >= 0) text = tailLines(text, tail);
  const limit = call.int('limitBytes');
  if (limit !== undefined && limit > 0) text = Buffer.from(text).subarray(0, limit).toString('utf8');
  if (!call.flag('follow')) return call.text(200, text);

  call.stream('text/plain');
  call.res.write(text);
  const stops: (() => void)[] = [];
  const finish = (): void => {
    for (const s of stops.splice(0)) s();
    if (!call.res.writableEnded) call.res.end();
  };
  stops.push(
    store.logs.follow(namespace, name, container, (chunk) => void (call.res.writable && call.res.write(chunk))),
  );
  stops.push(
    store.on('Pod', 'deleted', (p) => p.metadata.namespace === namespace && p.metadata.name === name && finish()),
  );
  stops.push(deps.track(finish));
  call.res.on('close', finish);
};
