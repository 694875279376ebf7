import type { SubscriptionSpec } from '../../scenario/model.js';
import { ok } from '../context.js';
import { paginate } from '../paging.js';
import type { Route } from './route.js';

/** A subscription as Subscriptions_Get returns it. */
const subscriptionBody = (s: SubscriptionSpec) => ({
  id: `/subscriptions/${s.id}`,
  authorizationSource: 'RoleBased',
  managedByTenants: [],
  subscriptionId: s.id,
  tenantId: s.tenantId,
  displayName: s.displayName,
  state: s.state,
  subscriptionPolicies: { locationPlacementId: 'Public_2014-09-01', quotaId: 'PayAsYouGo_2014-09-01', spendingLimit: 'Off' },
});

/** Subscriptions, their locations and the tenant. The front has already answered 404 for an unknown subscription. */
export const subscriptionRoutes: Route[] = [
  {
    method: 'GET',
    path: '/subscriptions',
    operation: 'Subscriptions_List',
    kind: 'read',
    apiType: 'Microsoft.Resources/subscriptions',
    handle: (ctx) => ok(paginate(ctx, [...ctx.state.subscriptions.values()].map(subscriptionBody))),
  },
  {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}',
    operation: 'Subscriptions_Get',
    kind: 'read',
    apiType: 'Microsoft.Resources/subscriptions',
    handle: (ctx, { subscriptionId = '' }) =>
      ok(subscriptionBody(ctx.state.subscriptions.get(subscriptionId.toLowerCase()) as SubscriptionSpec)),
  },
  {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/locations',
    operation: 'Subscriptions_ListLocations',
    kind: 'read',
    apiType: 'Microsoft.Resources/locations',
    handle: (ctx, { subscriptionId = '' }) =>
      ok({
        value: ctx.state.scenario.regions.map((r) => ({
          id: `/subscriptions/${subscriptionId}/locations/${r.name}`,
          type: 'Region',
          name: r.name,
          displayName: r.displayName,
          regionalDisplayName: r.displayName,
          metadata: { regionType: 'Physical', regionCategory: 'Recommended' },
        })),
      }),
  },
  {
    method: 'GET',
    path: '/tenants',
    operation: 'Tenants_List',
    kind: 'read',
    apiType: 'Microsoft.Resources/tenants',
    handle: (ctx) => {
      const tenants = new Set([...ctx.state.subscriptions.values()].map((s) => s.tenantId));
      return ok({ value: [...tenants].map((t) => ({ id: `/tenants/${t}`, tenantId: t, tenantCategory: 'Home' })) });
    },
  },
];
