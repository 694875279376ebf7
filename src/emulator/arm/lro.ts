import { randomUUID } from 'node:crypto';
import type { ArmResponse } from './context.js';
import type { ArmErrorBody } from './errors.js';

/** How long a finished operation stays pollable by default: 10 minutes. */
const DEFAULT_LRO_RETENTION_MS = 10 * 60_000;

/** The states an operation-status document reports. */
export type OperationStatus = 'InProgress' | 'Succeeded' | 'Failed';

/** What a handler asks the engine for when a request starts a long-running operation. */
export interface LroStart {
  subscriptionId: string;
  /** Namespace whose operation URLs serve it ('Microsoft.Network'). */
  namespace: string;
  /** Region in the operation URLs ('eastus'). */
  location: string;
  /** api-version put on the operation URLs. */
  apiVersion: string;
  /** The resource the operation works on; other writes to it get 409 while it runs. */
  resourceId?: string;
  /** Set to fail the operation with this error (lro-fail faults). */
  failWith?: ArmErrorBody;
  /** Runs once when the operation succeeds (e.g. provisioningState → Succeeded, side effects). */
  onSucceeded?: () => void;
  /** Runs once when the operation fails. */
  onFailed?: (error: ArmErrorBody) => void;
  /** The final answer of the Location (operationResults) URL once succeeded: 200 + resource body, or 204. */
  finalResult: () => ArmResponse;
}

/** One long-running operation. */
export interface Operation {
  readonly id: string;
  readonly start: LroStart;
  readonly startedAt: number;
  readonly doneAt: number;
  status: OperationStatus;
  error?: ArmErrorBody;
  endedAt?: number;
}

/**
 * Long-running operations with lazy completion: an operation is InProgress until `delayMs` has passed, and
 * completes (running its hooks) the first time anyone looks after that — `settleDue()` runs before every request.
 * No timers, so closing the emulator leaves nothing behind and ordering is deterministic.
 */
export class LroEngine {
  private readonly operations = new Map<string, Operation>();
  private readonly pending = new Set<Operation>();
  /** Finished operations in the order they ended, so the expired ones are dropped from the front. */
  private readonly ended: Operation[] = [];

  constructor(
    private readonly now: () => number,
    private delayMs: number,
    /** How long a finished operation's URLs keep answering before it is forgotten (404 OperationNotFound). */
    private readonly retentionMs: number = DEFAULT_LRO_RETENTION_MS,
  ) {}

  begin(start: LroStart): Operation {
    const startedAt = this.now();
    const op: Operation = {
      id: randomUUID(),
      start,
      startedAt,
      doneAt: startedAt + this.delayMs,
      status: 'InProgress',
    };
    this.operations.set(op.id, op);
    this.pending.add(op);
    return op;
  }

  get(id: string): Operation | undefined {
    return this.operations.get(id.toLowerCase());
  }

  /**
   * Forgets operations that ended more than `retentionMs` ago, then completes every operation whose time has come,
   * in start order (one that ends here is kept at least until the next call, so its own poll still finds it).
   */
  settleDue(): void {
    const now = this.now();
    while (this.ended.length > 0 && this.ended[0]!.endedAt! + this.retentionMs <= now) {
      this.operations.delete(this.ended.shift()!.id);
    }
    for (const op of this.pending) {
      if (op.doneAt > now) continue;
      this.pending.delete(op);
      op.endedAt = now;
      this.ended.push(op);
      if (op.start.failWith !== undefined) {
        op.status = 'Failed';
        op.error = op.start.failWith;
        op.start.onFailed?.(op.start.failWith);
      } else {
        op.status = 'Succeeded';
        op.start.onSucceeded?.();
      }
    }
  }

  /**
   * The resource a still-running operation holds that a write to `resourceId` must wait for (409), or undefined:
   * the resource itself, or any other part of the same top-level resource (a VNet and its subnets, as Network
   * serialises their writes).
   */
  busyWith(resourceId: string): string | undefined {
    const top = topLevelOf(resourceId);
    for (const op of this.pending) {
      const held = op.start.resourceId;
      if (held !== undefined && topLevelOf(held) === top) return held;
    }
    return undefined;
  }

  /** Path of the Azure-AsyncOperation (status) URL. */
  statusPath(op: Operation): string {
    return `${this.base(op)}/operations/${op.id}?api-version=${encodeURIComponent(op.start.apiVersion)}`;
  }

  /** Path of the Location (operation result) URL. */
  resultPath(op: Operation): string {
    return `${this.base(op)}/operationResults/${op.id}?api-version=${encodeURIComponent(op.start.apiVersion)}`;
  }

  /** Headers announcing the operation, with URLs on `baseUrl` ('https://127.0.0.1:PORT/'). */
  headers(op: Operation, baseUrl: string, which: LroHeaders = 'both'): Record<string, string> {
    const headers: Record<string, string> = { 'Retry-After': String(this.retryAfterSeconds(op)) };
    if (which !== 'location') headers['Azure-AsyncOperation'] = new URL(this.statusPath(op).slice(1), baseUrl).href;
    if (which !== 'azure-async-operation') headers.Location = new URL(this.resultPath(op).slice(1), baseUrl).href;
    return headers;
  }

  /** Whole seconds left, rounded up (at least 1 while running, as ARM never says 0). */
  retryAfterSeconds(op: Operation): number {
    return Math.max(1, Math.ceil((op.doneAt - this.now()) / 1000));
  }

  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  private base(op: Operation): string {
    const { subscriptionId, namespace, location } = op.start;
    return `/subscriptions/${subscriptionId}/providers/${namespace}/locations/${location}`;
  }
}

/** Lower-cased id of the top-level resource an id belongs to (up to `providers/{ns}/{type}/{name}`, the last such). */
function topLevelOf(id: string): string {
  const parts = id.toLowerCase().split('/').filter(Boolean);
  const at = parts.lastIndexOf('providers');
  return `/${(at < 0 ? parts : parts.slice(0, at + 4)).join('/')}`;
}

/** Which operation headers a long-running response carries. */
export type LroHeaders = 'both' | 'location' | 'azure-async-operation';
