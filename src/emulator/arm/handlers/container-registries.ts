// Microsoft.ContainerRegistry/registries, as far as ACI's pulls care: the registry's login server and its network
// rules. The body is the REST reference's Registry (learn.microsoft.com/rest/api/containerregistry/registries/get;
// the @azure/arm-containerregistry `Registry` type): `properties.loginServer`, `properties.publicNetworkAccess`
// (Enabled | Disabled) and `properties.networkRuleSet.defaultAction` (Allow | Deny, default Allow).
import { jsonObject, propertiesOf } from '../context.js';
import type { HandlerContext, ResourceTypeHandler } from '../handler.js';
import type { Json, StoredResource } from '../store.js';

/** Full type of a container registry, canonical casing. */
const REGISTRY_TYPE = 'Microsoft.ContainerRegistry/registries';

/** The login server ACR gives a registry: `<name>.azurecr.io`, lower case. */
const loginServerOf = (r: StoredResource): string =>
  String(propertiesOf(r.body).loginServer ?? `${String(r.body.name ?? '')}.azurecr.io`).toLowerCase();

/** True when the registry admits no pull from ACI's public path: public access off, or a firewall denying by default. */
function shutsOutAci(body: Json): boolean {
  const p = propertiesOf(body);
  return p.publicNetworkAccess === 'Disabled' || jsonObject(p.networkRuleSet)?.defaultAction === 'Deny';
}

/** Login servers of the registries ACI cannot pull from (see rules.ts, RegistryErrorResponse). */
export function closedRegistries(store: HandlerContext['store']): Set<string> {
  return new Set(
    store
      .list(REGISTRY_TYPE, '')
      .filter((r) => shutsOutAci(r.body))
      .map(loginServerOf),
  );
}

/** The fields ACR fills in that a scenario may leave out. */
function withDefaults(r: StoredResource): Json {
  const p = propertiesOf(r.body);
  return {
    ...r.body,
    type: REGISTRY_TYPE,
    properties: {
      provisioningState: 'Succeeded',
      adminUserEnabled: false,
      publicNetworkAccess: 'Enabled',
      networkRuleBypassOptions: 'AzureServices',
      ...p,
      loginServer: loginServerOf(r),
      networkRuleSet: { defaultAction: 'Allow', ipRules: [], ...jsonObject(p.networkRuleSet) },
    },
  };
}

/** Registries: read as ACR shows them (a PUT keeps what the client sends, as a plain stored resource does). */
export const containerRegistries: ResourceTypeHandler = {
  type: REGISTRY_TYPE,
  view: withDefaults,
  listView: withDefaults,
};
