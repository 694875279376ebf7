// Adaptive concurrency (AIMD, as TCP does): start wide, add one slot per window of calls that went unthrottled, and
// halve the window when the server says "too many" (429). Starting wide keeps --all at one round trip of depth when
// ARM is kind; halving keeps a throttled run from hammering it.

/** A concurrency limit that reacts to throttling. */
export interface AdaptiveLimit {
  /** Runs `task` when a slot is free. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Reports throttling seen by a task started at `epoch` (from `epoch()` at its start); halves once per window. */
  backOff(epoch: number): void;
  /** The current window; a task records it at start so that one burst of 429s halves the window once. */
  epoch(): number;
  /** The current number of slots. */
  readonly limit: number;
}

/** Creates a limit of `initial` slots, kept between `min` and `max`. */
export function adaptiveLimit(options: { initial: number; min?: number; max?: number }): AdaptiveLimit {
  const min = options.min ?? 1;
  const max = options.max ?? options.initial;
  let limit = Math.max(min, Math.min(max, options.initial));
  let active = 0;
  let window = 0;
  const queue: (() => void)[] = [];
  const pump = () => {
    while (active < Math.floor(limit) && queue.length) {
      active++;
      queue.shift()!();
    }
  };
  return {
    get limit() {
      return Math.floor(limit);
    },
    epoch: () => window,
    backOff(epoch) {
      if (epoch !== window) return;
      window++;
      limit = Math.max(min, Math.floor(limit / 2));
    },
    run<T>(task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push(() => {
          const started = window;
          const done = () => {
            active--;
            // Additive increase: 1/limit per call, about one slot per full window since the last halving.
            if (started === window) limit = Math.min(max, limit + 1 / Math.max(1, limit));
            pump();
          };
          task().then(
            (value) => {
              done();
              resolve(value);
            },
            (error: unknown) => {
              done();
              reject(error);
            },
          );
        });
        pump();
      });
    },
  };
}
