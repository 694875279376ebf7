// Per-container log buffers behind GET pods/{name}/log. Whoever "runs" a pod (the emulated connector, vnodes'
// provider in-process) appends; the API server reads and follows.

/** Bytes of log kept per container; older text is dropped, like a kubelet rotating its log file. */
const MAX_LOG_CHARS = 1 << 20;

type Follower = (text: string) => void;

const keyOf = (namespace: string, pod: string, container: string): string => `${namespace}/${pod}/${container}`;

/** Log text per (namespace, pod, container), with followers for `follow=true`. */
export class PodLogs {
  private readonly buffers = new Map<string, string>();
  private readonly followers = new Map<string, Set<Follower>>();

  /** Appends text to a container's log and hands it to anyone following it. */
  append(namespace: string, pod: string, container: string, text: string): void {
    const key = keyOf(namespace, pod, container);
    const next = (this.buffers.get(key) ?? '') + text;
    this.buffers.set(key, next.length > MAX_LOG_CHARS ? next.slice(next.length - MAX_LOG_CHARS) : next);
    for (const f of this.followers.get(key) ?? []) f(text);
  }

  /** The whole buffered log of a container ('' when nothing was written). */
  read(namespace: string, pod: string, container: string): string {
    return this.buffers.get(keyOf(namespace, pod, container)) ?? '';
  }

  /** Calls `fn` with each later append; returns the unsubscribe function. */
  follow(namespace: string, pod: string, container: string, fn: Follower): () => void {
    const key = keyOf(namespace, pod, container);
    let set = this.followers.get(key);
    if (set === undefined) this.followers.set(key, (set = new Set()));
    set.add(fn);
    return () => void set.delete(fn);
  }

  /** Forgets every container log of a pod (when the pod object is removed). */
  drop(namespace: string, pod: string): void {
    const prefix = `${namespace}/${pod}/`;
    for (const key of [...this.buffers.keys()]) if (key.startsWith(prefix)) this.buffers.delete(key);
  }
}

/** The lines `tailLines` keeps from a log text (a trailing newline does not count as an empty line). */
export const tailLines = (text: string, lines: number): string => {
  if (lines <= 0) return '';
  const parts = text.split('\n');
  const trailing = parts.at(-1) === '' ? parts.pop() : undefined;
  return parts.slice(-lines).join('\n') + (trailing === undefined ? '' : '\n');
};
