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

/** Every ARM request in order, so tests and benchmarks can count calls without reaching into the emulator. */
export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  count(filter: RequestLogFilter = {}): number {
    return this.entries.filter(
      (e) =>
        (filter.kind === undefined || e.kind === filter.kind) &&
        (filter.method === undefined || e.method.toUpperCase() === filter.method.toUpperCase()) &&
        (filter.operation === undefined || e.operation.toLowerCase() === filter.operation.toLowerCase()) &&
        (filter.status === undefined || e.status === filter.status),
    ).length;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
