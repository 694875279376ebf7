// The Activity Log of the emulated subscription: `GET /subscriptions/{s}/providers/Microsoft.Insights/eventtypes/
// management/values` (api-version 2015-04-01) with `$filter=eventTimestamp ge '…' [and eventTimestamp le '…'] and
// resourceGroupName eq '…'` (or resourceId / resourceUri eq). Events come from the scenario's `activityLog` (each may
// give `ageMinutes` instead of a timestamp) and from writes the emulator refuses by policy. The event shape is the
// one in azure-rest-api-specs' monitor example GetActivityLogsFiltered.json.
import { randomUUID } from 'node:crypto';
import { ok, type RequestContext } from '../context.js';
import { ArmError } from '../errors.js';
import type { HandlerContext } from '../handler.js';
import { parseArmPath } from '../ids.js';
import { paginate } from '../paging.js';
import type { Route } from '../routes/route.js';
import { handlerContext } from '../scope.js';
import type { Json, ResourceStore } from '../store.js';

const logs = new WeakMap<ResourceStore, Json[]>();

const localized = (value: string, localizedValue = value): Json => ({ value, localizedValue });

/** A scenario entry as ARM returns it: `ageMinutes` becomes an eventTimestamp before `now`. */
function fromScenario(e: Json, now: number, subscriptionId: string): Json {
  const { ageMinutes, ...rest } = e;
  const at = typeof ageMinutes === 'number' ? new Date(now - ageMinutes * 60_000).toISOString() : undefined;
  return {
    subscriptionId,
    level: 'Error',
    ...rest,
    ...(at !== undefined ? { eventTimestamp: at, submissionTimestamp: at } : {}),
  };
}

function events(hctx: HandlerContext): Json[] {
  let log = logs.get(hctx.store);
  if (log === undefined) {
    const sub = hctx.scenario.subscription.id;
    log = (hctx.scenario.activityLog ?? []).map((e) => fromScenario(e, hctx.now(), sub));
    logs.set(hctx.store, log);
  }
  return log;
}

/** One write's outcome as the Activity Log records it (Administrative category, EndRequest). */
export function recordActivity(
  hctx: HandlerContext,
  e: { resourceId: string; operation: string; status: string; subStatus: string; statusMessage: string },
): void {
  const p = parseArmPath(e.resourceId);
  const at = new Date(hctx.now()).toISOString();
  const eventDataId = randomUUID();
  events(hctx).push({
    authorization: { action: e.operation, scope: e.resourceId },
    caller: 'vnodes-emulator',
    category: localized('Administrative'),
    correlationId: randomUUID(),
    description: '',
    eventDataId,
    eventName: localized('EndRequest', 'End request'),
    httpRequest: { method: 'PUT' },
    id: `${e.resourceId}/events/${eventDataId}/ticks/${hctx.now() * 10_000}`,
    level: 'Error',
    resourceGroupName: p?.resourceGroup ?? '',
    resourceProviderName: localized(p?.namespace ?? ''),
    resourceId: e.resourceId,
    resourceType: localized(p?.resourceType ?? ''),
    operationId: randomUUID(),
    operationName: localized(e.operation),
    properties: { statusCode: e.subStatus, statusMessage: e.statusMessage },
    status: localized(e.status),
    subStatus: localized(e.subStatus),
    eventTimestamp: at,
    submissionTimestamp: at,
    subscriptionId: p?.subscriptionId ?? hctx.scenario.subscription.id,
  });
}

/** The `$filter` terms: timestamps and one of resourceGroupName / resourceId / resourceUri, joined by `and`. */
function filterOf(filter: string): (e: Json) => boolean {
  const terms = filter.split(/\s+and\s+/i).map((t) => /^\s*(\w+)\s+(eq|ge|le)\s+'([^']*)'\s*$/i.exec(t));
  if (filter.trim() === '' || terms.some((t) => t === null) || !/eventTimestamp\s+ge/i.test(filter))
    throw new ArmError(
      400,
      'BadRequest',
      "The filter is invalid: it must give eventTimestamp ge '<time>', e.g. $filter=eventTimestamp ge '2024-01-01T00:00:00Z' and resourceGroupName eq 'rg'.",
    );
  return (e) =>
    terms.every((t) => {
      const [, field, op, value] = t!;
      const key = field!.toLowerCase();
      if (key === 'eventtimestamp') {
        const at = Date.parse(String(e.eventTimestamp));
        return op!.toLowerCase() === 'ge' ? at >= Date.parse(value!) : at <= Date.parse(value!);
      }
      const actual =
        key === 'resourceuri' ? e.resourceId : key === 'resourcegroupname' ? e.resourceGroupName : e[field!];
      return String(actual ?? '').toLowerCase() === value!.toLowerCase();
    });
}

/** ActivityLogs_List. */
export const activityLogRoutes: Route[] = [
  {
    method: 'GET',
    path: '/subscriptions/{subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values',
    operation: 'ActivityLogs_List',
    kind: 'read',
    apiType: 'Microsoft.Insights/eventtypes',
    handle: (ctx: RequestContext) => {
      const hctx = handlerContext(ctx.state);
      const keep = filterOf(ctx.query.get('$filter') ?? '');
      const newestFirst = events(hctx)
        .filter(keep)
        .sort((a, b) => String(b.eventTimestamp).localeCompare(String(a.eventTimestamp)));
      return ok(paginate(ctx, newestFirst));
    },
  },
];
