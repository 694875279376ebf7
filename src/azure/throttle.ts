// One token bucket and a concurrency bound for every ARM request the provider sends, as a pipeline policy placed per
// retry: each attempt (first try, retry, LRO poll) takes a token, while a request waiting out a 429's Retry-After
// inside the SDK's retry policy holds no slot, so unrelated pods keep going.
import type { PipelinePolicy } from '@azure/core-rest-pipeline';

/** Limits of the shared bucket. */
export interface ThrottleOptions {
  /** Sustained requests per second (ARM's read budget is about 25/s per subscription and principal). */
  ratePerSecond: number;
  /** Tokens that may be spent at once after a quiet spell. */
  burst: number;
  /** Requests in flight at once. */
  concurrency: number;
}

/** Counts of what went through, for the provider's stats. */
export interface ThrottleStats {
  sent: number;
  throttled: number;
  /** Responses by `METHOD status`. */
  byStatus: Map<string, number>;
  waitingNow: number;
}

/** A token bucket with a concurrency bound; `acquire` resolves when a request may go. */
export function createThrottle(options: ThrottleOptions, now: () => number = () => performance.now()) {
  let tokens = options.burst;
  let last = now();
  let inFlight = 0;
  const queue: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  const stats: ThrottleStats = { sent: 0, throttled: 0, byStatus: new Map(), waitingNow: 0 };

  const refill = (): void => {
    const t = now();
    tokens = Math.min(options.burst, tokens + ((t - last) / 1000) * options.ratePerSecond);
    last = t;
  };
  const pump = (): void => {
    refill();
    while (queue.length && inFlight < options.concurrency && tokens >= 1) {
      tokens -= 1;
      inFlight++;
      queue.shift()!();
    }
    stats.waitingNow = queue.length;
    if (queue.length && timer === undefined && inFlight < options.concurrency) {
      const ms = Math.max(1, ((1 - tokens) / options.ratePerSecond) * 1000);
      timer = setTimeout(() => {
        timer = undefined;
        pump();
      }, ms);
    }
  };
  const acquire = (): Promise<void> =>
    new Promise((resolve) => {
      queue.push(resolve);
      pump();
    });
  const release = (): void => {
    inFlight--;
    pump();
  };

  const policy: PipelinePolicy = {
    name: 'vnodesProviderThrottle',
    async sendRequest(request, next) {
      await acquire();
      stats.sent++;
      try {
        const response = await next(request);
        const key = `${request.method} ${response.status}`;
        stats.byStatus.set(key, (stats.byStatus.get(key) ?? 0) + 1);
        if (response.status === 429) stats.throttled++;
        return response;
      } finally {
        release();
      }
    },
  };
  return { policy, stats, acquire, release };
}

/** The throttle type. */
export type Throttle = ReturnType<typeof createThrottle>;
