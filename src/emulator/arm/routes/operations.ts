import { setTimeout as sleep } from 'node:timers/promises';
import type { ArmResponse, RequestContext } from '../context.js';
import { ArmError } from '../errors.js';
import type { Operation } from '../lro.js';
import type { Route } from './route.js';

/** Path parameters of the operation URLs. */
type OperationParams = Partial<Record<'subscriptionId' | 'namespace' | 'operationId', string>>;

/**
 * The operation the URL names: its id, under the subscription and namespace that started it (an id of a Network
 * operation under Microsoft.ContainerService is not found, as in ARM). A running one is held up to `holdPollsMs`.
 */
async function find(ctx: RequestContext, params: OperationParams): Promise<Operation> {
  const { lro } = ctx.state;
  const { subscriptionId = '', namespace = '', operationId = '' } = params;
  const op = lro.get(operationId);
  const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
  if (op === undefined || !same(op.start.subscriptionId, subscriptionId) || !same(op.start.namespace, namespace)) {
    throw new ArmError(404, 'OperationNotFound', `The operation '${operationId}' could not be found.`);
  }
  if (op.status === 'InProgress') {
    // A few ms past the end, as timers may fire a little early against the wall clock.
    await sleep(Math.max(0, Math.min(ctx.state.holdPollsMs, op.doneAt - ctx.state.now() + 5)));
    lro.settleDue();
  }
  return op;
}

/** Azure-AsyncOperation: the status document `{id, name, status, startTime, endTime?, error?}`. */
async function status(ctx: RequestContext, params: OperationParams): Promise<ArmResponse> {
  const op = await find(ctx, params);
  const body = {
    id: ctx.path,
    name: op.id,
    status: op.status,
    startTime: new Date(op.startedAt).toISOString(),
    ...(op.endedAt !== undefined ? { endTime: new Date(op.endedAt).toISOString() } : {}),
    ...(op.error !== undefined ? { error: op.error } : {}),
  };
  const headers =
    op.status === 'InProgress' ? { 'Retry-After': String(ctx.state.lro.retryAfterSeconds(op)) } : undefined;
  return { status: 200, body, ...(headers ? { headers } : {}) };
}

/** Location: 202 while running, then the final result (200 + resource, or 204), or the failure as an error. */
async function result(ctx: RequestContext, params: OperationParams): Promise<ArmResponse> {
  const op = await find(ctx, params);
  if (op.status === 'InProgress') {
    const self = new URL(ctx.state.lro.resultPath(op).slice(1), ctx.state.baseUrl).href;
    return { status: 202, headers: { Location: self, 'Retry-After': String(ctx.state.lro.retryAfterSeconds(op)) } };
  }
  if (op.error !== undefined) {
    throw new ArmError(op.error.code === 'InternalServerError' ? 500 : 400, op.error.code, op.error.message);
  }
  return op.start.finalResult();
}

const base = '/subscriptions/{subscriptionId}/providers/{namespace}/locations/{location}';

/** The operation URLs the LRO engine hands out, for every namespace. */
export const operationRoutes: Route[] = [
  {
    method: 'GET',
    path: `${base}/operations/{operationId}`,
    operation: 'AsyncOperation_GetStatus',
    kind: 'poll',
    apiType: '{namespace}/locations/operations',
    handle: (ctx, params) => status(ctx, params),
  },
  {
    method: 'GET',
    path: `${base}/operationResults/{operationId}`,
    operation: 'AsyncOperation_GetResult',
    kind: 'poll',
    apiType: '{namespace}/locations/operationResults',
    handle: (ctx, params) => result(ctx, params),
  },
];
