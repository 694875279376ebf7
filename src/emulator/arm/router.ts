import type { ArmState, ResolvedRoute } from './context.js';
import { ArmError, methodNotAllowed } from './errors.js';
import { parseArmPath } from './ids.js';
import { activityLogRoutes } from './policy/activity-log.js';
import { failing, resolveResource } from './resources.js';
import { aciLocationRoutes } from './routes/aci-locations.js';
import { genericResourceRoutes } from './routes/generic-resources.js';
import { metadataRoutes } from './routes/metadata.js';
import { operationRoutes } from './routes/operations.js';
import { providerRoutes } from './routes/providers.js';
import { fillTemplate, matchTemplate, type Route } from './routes/route.js';
import { subscriptionRoutes } from './routes/subscriptions.js';

/** Operations that are not stored resources, tried before the generic resource routing. */
const ROUTES: readonly Route[] = [
  ...metadataRoutes,
  ...subscriptionRoutes,
  ...providerRoutes,
  ...aciLocationRoutes,
  ...operationRoutes,
  ...genericResourceRoutes,
  ...activityLogRoutes,
];

/** Matches a request to an operation, without side effects (faults match on the operation name before it runs). */
export function resolve(state: ArmState, method: string, segments: string[]): ResolvedRoute {
  let pathKnown = false;
  for (const r of ROUTES) {
    const params = matchTemplate(r.path, segments);
    if (params === undefined) continue;
    if (r.method !== method) {
      pathKnown = true;
      continue;
    }
    return {
      operation: r.operation,
      kind: r.kind,
      apiType: fillTemplate(r.apiType, params),
      ...(r.locationParam !== undefined ? { location: params[r.locationParam] } : {}),
      ...(r.apiVersions !== undefined ? { apiVersions: r.apiVersions } : {}),
      ...(r.anonymous === true ? { anonymous: true } : {}),
      ...(r.requiresNamespace !== undefined
        ? { requiresNamespace: params[r.requiresNamespace] ?? r.requiresNamespace }
        : {}),
      exec: (ctx) => r.handle(ctx, params),
    };
  }
  if (pathKnown) return failing('Unknown', 'read', methodNotAllowed(method));
  const p = parseArmPath(segments);
  if (p === undefined) {
    const path = `/${segments.join('/')}`;
    return failing(
      'Unknown',
      'read',
      new ArmError(404, 'InvalidResourceType', `The resource type could not be found for the request path '${path}'.`),
    );
  }
  return resolveResource(state, method, p);
}
