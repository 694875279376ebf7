import type { RequestKind } from '../../request-log.js';
import type { ArmResponse, RequestContext } from '../context.js';

/**
 * An ARM operation that is not a stored resource (subscriptions, providers, ACI location queries, operation
 * status), declared by its swagger-style path template. Literal segments match case-insensitively; `{name}`
 * captures one segment.
 */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  /** '/subscriptions/{subscriptionId}/providers/{namespace}/register' */
  path: string;
  /** ARM operationId for the request log. */
  operation: string;
  kind: RequestKind;
  /** Full type whose api-versions apply; `{param}` is replaced from the path ('{namespace}/locations/operations'). */
  apiType: string;
  /** Path parameter naming a namespace that must be registered ('namespace'), or a namespace literal. */
  requiresNamespace?: string;
  /** Path parameter holding the location (for NoRegisteredProviderFound messages). */
  locationParam?: string;
  /** The versions accepted, when the route is no type of the api-version table (the metadata document). */
  apiVersions?: readonly string[];
  /** Served without a bearer token. */
  anonymous?: boolean;
  handle(ctx: RequestContext, params: Record<string, string>): ArmResponse | Promise<ArmResponse>;
}

/** Matches a template against decoded path segments; the captured parameters, or undefined. */
export function matchTemplate(template: string, segments: readonly string[]): Record<string, string> | undefined {
  const parts = template.split('/').filter((s) => s !== '');
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const seg = segments[i] as string;
    if (part.startsWith('{') && part.endsWith('}')) params[part.slice(1, -1)] = seg;
    else if (part.toLowerCase() !== seg.toLowerCase()) return undefined;
  }
  return params;
}

/** Replaces `{param}` in a string with the captured values. */
export const fillTemplate = (text: string, params: Record<string, string>): string =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
