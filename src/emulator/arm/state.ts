import { FaultInjector, type FaultRule } from '../faults.js';
import { TokenIssuer } from '../identity/tokens.js';
import { RequestLog } from '../request-log.js';
import type { Scenario, SubscriptionSpec } from '../scenario/model.js';
import { canonicalType } from './api-versions.js';
import { type ArmState, DEFAULT_HOLD_POLLS_MS } from './context.js';
import { parseArmPath } from './ids.js';
import { LroEngine } from './lro.js';
import { Registrations } from './registrations.js';
import { type ArmServices, DEFAULT_SERVICES } from './services.js';
import { handlerContext, resourceGroupId } from './scope.js';
import { newEtag, ResourceStore, type StoredResource } from './store.js';
import { handlerFor } from './handlers/index.js';
import { resourceGroupBody } from './handlers/resource-groups.js';
import { networkEtagGroup } from './handlers/subnets.js';

/** What the ARM state is built from. */
export interface ArmStateInit {
  scenario: Scenario;
  token: string;
  latencyMs: number;
  lroDelayMs: number;
  faults: FaultRule[];
  seed: number;
  /** Entries the request log keeps (default 10,000); its counts stay exact. */
  requestLogLimit?: number;
  /** How long a finished long-running operation stays pollable (default 10 minutes). */
  lroRetentionMs?: number;
  /** Longest a poll of a running operation is held (default 1000 ms). */
  holdPollsMs?: number;
  now?: () => number;
  services?: ArmServices;
}

/** Builds the state of one emulator and loads the scenario into it. */
export function createArmState(init: ArmStateInit): ArmState {
  const now = init.now ?? Date.now;
  const { scenario } = init;
  const state: ArmState = {
    scenario,
    store: new ResourceStore(networkEtagGroup),
    subscriptions: new Map([[scenario.subscription.id.toLowerCase(), scenario.subscription]]),
    registrations: new Registrations(scenario, now),
    lro: new LroEngine(now, init.lroDelayMs, init.lroRetentionMs),
    faults: new FaultInjector(init.faults, init.seed),
    log: new RequestLog(init.requestLogLimit),
    token: init.token,
    tokens: new TokenIssuer(scenario.subscription.tenantId, now),
    baseUrl: 'https://127.0.0.1/',
    cloud: { name: 'vnodes-emulator', graph: '' },
    latencyMs: init.latencyMs,
    holdPollsMs: init.holdPollsMs ?? DEFAULT_HOLD_POLLS_MS,
    now,
    services: init.services ?? DEFAULT_SERVICES,
  };
  seed(state);
  return state;
}

/**
 * Loads the scenario: its resource groups, then its resources unchanged. A resource's subscription and resource
 * group come into being with it when the scenario does not declare them (the group takes the resource's location).
 * Then each loaded resource's type handler gets `onLoad`.
 */
function seed(state: ArmState): void {
  const { scenario, store } = state;
  const sub = scenario.subscription;
  const ensureGroup = (subscriptionId: string, name: string, location: string, tags?: Record<string, string>): void => {
    const id = resourceGroupId(subscriptionId, name);
    if (!store.has(id))
      store.put(
        id,
        'Microsoft.Resources/resourceGroups',
        resourceGroupBody(subscriptionId, name, location, tags ? { tags } : {}),
      );
  };
  for (const g of scenario.resourceGroups) ensureGroup(sub.id, g.name, g.location, g.tags);
  const loaded: StoredResource[] = [];
  for (const body of scenario.resources) {
    const id = String(body.id);
    const p = parseArmPath(id);
    if (p === undefined || p.name === undefined)
      throw new Error(`Scenario ${scenario.source}: '${id}' is not a resource id.`);
    if (p.subscriptionId !== undefined && !state.subscriptions.has(p.subscriptionId.toLowerCase())) {
      const implied: SubscriptionSpec = {
        id: p.subscriptionId,
        displayName: p.subscriptionId,
        tenantId: sub.tenantId,
        state: 'Enabled',
      };
      state.subscriptions.set(p.subscriptionId.toLowerCase(), implied);
    }
    const location = typeof body.location === 'string' ? body.location : (scenario.regions[0]?.name ?? 'eastus');
    if (p.subscriptionId !== undefined && p.resourceGroup !== undefined)
      ensureGroup(p.subscriptionId, p.resourceGroup, location);
    const etag =
      typeof body.etag === 'string' ? body.etag : typeof body.eTag === 'string' ? body.eTag : newEtag(p.resourceType);
    loaded.push(store.put(id, canonicalType(p.resourceType), body, etag));
  }
  const hctx = handlerContext(state);
  for (const r of loaded) handlerFor(r.type)?.onLoad?.(r, hctx);
}
