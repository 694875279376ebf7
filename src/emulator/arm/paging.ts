import type { RequestContext } from './context.js';
import { ArmError } from './errors.js';

/** One page of a list: `{value, nextLink?}` as every ARM list returns it. */
export interface Page<T> {
  value: T[];
  nextLink?: string;
}

const encodeToken = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64url');

function decodeToken(token: string): number {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const m = /^offset:(\d+)$/.exec(text);
  if (m === null) throw new ArmError(400, 'InvalidSkipToken', `The skip token '${token}' is not valid.`);
  return Number(m[1]);
}

/**
 * Cuts `items` into the page the request asks for (`$skipToken`), `pageSize` items at a time. `nextLink` is an
 * absolute URL on the emulator that repeats the request's query (api-version, $filter…) with the next token.
 */
export function paginate<T>(ctx: RequestContext, items: readonly T[], pageSize = ctx.state.scenario.pageSize): Page<T> {
  const token = ctx.query.get('$skipToken');
  const offset = token === null ? 0 : decodeToken(token);
  const value = items.slice(offset, offset + pageSize);
  if (offset + pageSize >= items.length) return { value };
  const next = new URL(ctx.path.replace(/^\/+/, ''), ctx.state.baseUrl);
  for (const [k, v] of ctx.query) if (k !== '$skipToken') next.searchParams.append(k, v);
  next.searchParams.set('$skipToken', encodeToken(offset + pageSize));
  return { value, nextLink: next.href };
}
