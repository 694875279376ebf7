/** How a request relates to state: reads, writes (PUT/PATCH/DELETE, state-changing POST), LRO polls, POST actions. */
export type RequestKind = 'read' | 'write' | 'poll' | 'action';

/** One ARM request as the emulator saw and answered it. */
export interface RequestLogEntry {
  method: string;
  /** Path without query, as sent. */
  path: string;
  /** The api-version query parameter ('' when absent). */
  apiVersion: string;
  /** Stable operation name, the ARM operationId ('Providers_Get', 'Subnets_CreateOrUpdate'); 'Unknown' off the map. */
  operation: string;
  kind: RequestKind;
  /** HTTP status sent; 0 when the connection was dropped by a `drop` fault. */
  status: number;
  durationMs: number;
  /** The x-ms-request-id sent with the response. */
  requestId: string;
}

/** Which entries `count` counts; every given field must match. */
export interface RequestLogFilter {
  kind?: RequestKind;
  method?: string;
  operation?: string;
  status?: number;
}

/** How many entries a request log keeps by default (the oldest go first); counts stay exact regardless. */
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;

/** Appends to a log kept at most `limit` long, dropping the oldest (V8 trims an array's front in place). */
export function pushBounded<T>(log: T[], entry: T, limit: number): void {
  log.push(entry);
  while (log.length > Math.max(0, limit)) log.shift();
}

/** The part of an entry `count` filters on, with the running total of entries that had it. */
interface Total {
  kind: RequestKind;
  method: string;
  operation: string;
  status: number;
  n: number;
}

/**
 * ARM requests as the emulator answered them, so tests and benchmarks can count calls without reaching into the
 * emulator. `entries` keeps the last `limit` (a long `emulator start` must not grow without bound); `count` is exact
 * over every request since start or `clear()`, from running totals per (kind, method, operation, status).
 */
export class RequestLog {
  /** The most recent entries, oldest first, at most `limit` of them. */
  readonly entries: RequestLogEntry[] = [];
  private readonly totals = new Map<string, Total>();

  constructor(readonly limit: number = DEFAULT_REQUEST_LOG_LIMIT) {}

  add(entry: RequestLogEntry): void {
    pushBounded(this.entries, entry, this.limit);
    const method = entry.method.toUpperCase();
    const key = `${entry.kind} ${method} ${entry.operation.toLowerCase()} ${entry.status}`;
    const total = this.totals.get(key);
    if (total === undefined)
      this.totals.set(key, {
        kind: entry.kind,
        method,
        operation: entry.operation.toLowerCase(),
        status: entry.status,
        n: 1,
      });
    else total.n += 1;
  }

  count(filter: RequestLogFilter = {}): number {
    let n = 0;
    for (const t of this.totals.values()) {
      if (
        (filter.kind === undefined || t.kind === filter.kind) &&
        (filter.method === undefined || t.method === filter.method.toUpperCase()) &&
        (filter.operation === undefined || t.operation === filter.operation.toLowerCase()) &&
        (filter.status === undefined || t.status === filter.status)
      ) {
        n += t.n;
      }
    }
    return n;
  }

  clear(): void {
    this.entries.length = 0;
    this.totals.clear();
  }
}
