import { namespaceSpec } from '../api-versions.js';
import { type ArmState, ok, type RequestContext } from '../context.js';
import { invalidResourceNamespace } from '../errors.js';
import { paginate } from '../paging.js';
import type { Json } from '../store.js';
import type { Route } from './route.js';

/**
 * `resourceTypes[]` of a provider: one row per type in the api-version table (regional types list every catalog
 * region by display name, as ARM does), with the scenario's rows laid over rows of the same resourceType.
 */
function resourceTypes(state: ArmState, namespace: string): Json[] {
  const spec = namespaceSpec(namespace);
  const everywhere = state.scenario.regions.map((r) => r.displayName);
  const rows: Json[] = Object.entries(spec?.types ?? {}).map(([type, versions]) => {
    const regional = spec?.registrationFree !== true && !type.startsWith('locations');
    return {
      resourceType: type,
      locations: regional ? everywhere : [],
      apiVersions: [...(versions ?? spec?.versions ?? [])].reverse(),
      capabilities: regional && !type.includes('/') ? 'SupportsTags, SupportsLocation' : 'None',
    };
  });
  for (const override of state.registrations.spec(namespace)?.resourceTypes ?? []) {
    const at = rows.findIndex(
      (r) => String(r.resourceType).toLowerCase() === String(override.resourceType).toLowerCase(),
    );
    if (at < 0) rows.push(override);
    else rows[at] = { ...rows[at], ...override };
  }
  return rows;
}

/** A provider as Providers_Get returns it (shape of GetProvider.json). */
function providerBody(ctx: RequestContext, subscriptionId: string, namespace: string, registrationState: string): Json {
  return {
    id: `/subscriptions/${subscriptionId}/providers/${namespace}`,
    namespace,
    registrationState,
    registrationPolicy: ctx.state.registrations.policy(namespace),
    resourceTypes: resourceTypes(ctx.state, namespace),
  };
}

/** The namespace in its canonical casing, or 404-ish InvalidResourceNamespace. */
function known(ctx: RequestContext, namespace: string): string {
  const canonical = ctx.state.registrations.canonical(namespace);
  if (canonical === undefined) throw invalidResourceNamespace(namespace);
  return canonical;
}

/** POST register / unregister: change the registration, answer the provider. */
function registrationVerb(
  verb: string,
  operation: string,
  change: (ctx: RequestContext, namespace: string) => void,
): Route {
  return {
    method: 'POST',
    path: `/subscriptions/{subscriptionId}/providers/{namespace}/${verb}`,
    operation,
    kind: 'write',
    apiType: 'Microsoft.Resources/providers',
    handle: (ctx, { subscriptionId = '', namespace = '' }) => {
      const ns = known(ctx, namespace);
      change(ctx, ns);
      return ok(providerBody(ctx, subscriptionId, ns, ctx.state.registrations.state(ns)));
    },
  };
}

/** Providers: list, get (a read that advances Registering), register, unregister. */
export const providerRoutes: Route[] = [
  {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/providers',
    operation: 'Providers_List',
    kind: 'read',
    apiType: 'Microsoft.Resources/providers',
    handle: (ctx, { subscriptionId = '' }) => {
      const { registrations } = ctx.state;
      const all = registrations
        .namespaces()
        .map((ns) => providerBody(ctx, subscriptionId, ns, registrations.state(ns)));
      return ok(paginate(ctx, all));
    },
  },
  {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/providers/{namespace}',
    operation: 'Providers_Get',
    kind: 'read',
    apiType: 'Microsoft.Resources/providers',
    handle: (ctx, { subscriptionId = '', namespace = '' }) => {
      const ns = known(ctx, namespace);
      return ok(providerBody(ctx, subscriptionId, ns, ctx.state.registrations.observe(ns)));
    },
  },
  registrationVerb('register', 'Providers_Register', (ctx, ns) => ctx.state.registrations.register(ns)),
  registrationVerb('unregister', 'Providers_Unregister', (ctx, ns) => ctx.state.registrations.unregister(ns)),
];
