import type { Region } from '../../scenario/model.js';
import { typeSpec } from '../api-versions.js';
import { ok, type RequestContext } from '../context.js';
import { noRegisteredProvider } from '../errors.js';
import { paginate } from '../paging.js';
import { normalizeLocation } from '../scope.js';
import { liveUsages } from '../aci/capacity.js';
import type { Route } from './route.js';

const ACI = 'Microsoft.ContainerInstance';

/**
 * The catalog region for a location path segment. ARM routes location-scoped calls by region, so an unknown one
 * gets 400 NoRegisteredProviderFound listing the supported locations.
 */
function region(ctx: RequestContext, location: string, type: string): Region {
  const found = ctx.state.scenario.regions.find((r) => r.name === normalizeLocation(location));
  if (found !== undefined) return found;
  const versions = typeSpec(`${ACI}/${type}`)?.versions ?? [];
  throw noRegisteredProvider(
    location,
    ctx.apiVersion,
    type,
    versions,
    ctx.state.scenario.regions.map((r) => r.name),
  );
}

const locationRoute = (
  leaf: string,
  operation: string,
  handle: (ctx: RequestContext, r: Region) => unknown,
): Route => ({
  method: 'GET',
  path: `/subscriptions/{subscriptionId}/providers/${ACI}/locations/{location}/${leaf}`,
  operation,
  kind: 'read',
  apiType: `${ACI}/locations/${leaf}`,
  requiresNamespace: ACI,
  locationParam: 'location',
  handle: (ctx, { location = '' }) => ok(handle(ctx, region(ctx, location, `locations/${leaf}`))),
});

/**
 * ACI's per-region queries: capabilities (pageable, rows from the catalog) and usages (one page, as the API has no
 * nextLink; the catalog's counts plus what the subscription's live container groups in the region hold).
 */
export const aciLocationRoutes: Route[] = [
  locationRoute('capabilities', 'Location_ListCapabilities', (ctx, r) => paginate(ctx, r.capabilities)),
  locationRoute('usages', 'Location_ListUsage', (ctx, r) => ({
    value: liveUsages(r.usages, ctx.state.store, ctx.segments[1] ?? ctx.state.scenario.subscription.id, r.name),
  })),
  locationRoute('cachedImages', 'Location_ListCachedImages', (ctx) => paginate(ctx, [])),
];
