import type { SubscriptionSpec } from '../../scenario/model.js';
import { ok } from '../context.js';
import { paginate } from '../paging.js';
import { shapeForVersion } from '../versioned-fields.js';
import type { Route } from './route.js';

const SUBSCRIPTION = 'Microsoft.Resources/subscriptions';

/** A subscription as Subscriptions_Get returns it (newest shape; older versions leave fields out). */
const subscriptionBody = (s: SubscriptionSpec): Record<string, unknown> => ({
  id: `/subscriptions/${s.id}`,
  authorizationSource: 'RoleBased',
  managedByTenants: [],
  subscriptionId: s.id,
  tenantId: s.tenantId,
  displayName: s.displayName,
  state: s.state,
  subscriptionPolicies: {
    locationPlacementId: 'Public_2014-09-01',
    quotaId: 'PayAsYouGo_2014-09-01',
    spendingLimit: 'Off',
  },
});

/** Subscriptions, their locations and the tenant. The front has already answered 404 for an unknown subscription. */
export const subscriptionRoutes: Route[] = [
  {
    method: 'GET',
    path: '/subscriptions',
    operation: 'Subscriptions_List',
    kind: 'read',
    apiType: 'Microsoft.Resources/subscriptions',
    handle: (ctx) =>
      ok(
        paginate(
          ctx,
          [...ctx.state.subscriptions.values()].map((s) =>
            shapeForVersion(SUBSCRIPTION, subscriptionBody(s), ctx.apiVersion),
          ),
        ),
      ),
  },
  {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}',
    operation: 'Subscriptions_Get',
    kind: 'read',
    apiType: 'Microsoft.Resources/subscriptions',
    handle: (ctx, { subscriptionId = '' }) =>
      ok(
        shapeForVersion(
          SUBSCRIPTION,
          subscriptionBody(ctx.state.subscriptions.get(subscriptionId.toLowerCase()) as SubscriptionSpec),
          ctx.apiVersion,
        ),
      ),
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
      const value = [...tenants].map((t) =>
        shapeForVersion(
          'Microsoft.Resources/tenants',
          { id: `/tenants/${t}`, tenantId: t, tenantCategory: 'Home' },
          ctx.apiVersion,
        ),
      );
      return ok({ value });
    },
  },
];
