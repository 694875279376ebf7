// The body AKS stores for a managed cluster PUT: what the client may set, plus the read-only fields AKS owns and
// keeps whatever the client sends (the SDK drops read-only fields when it serialises a GET result back).
import { createHash, randomUUID } from 'node:crypto';
import { jsonObject } from '../context.js';
import type { HandlerContext, WriteRequest } from '../handler.js';
import { normalizeLocation } from '../scope.js';
import type { Json } from '../store.js';
import { applyAddon } from './managed-cluster-addon.js';

/** Properties only AKS sets: a PUT keeps the stored values. */
const READ_ONLY_PROPERTIES = [
  'fqdn',
  'azurePortalFQDN',
  'privateFQDN',
  'powerState',
  'currentKubernetesVersion',
  'maxAgentPools',
  'nodeResourceGroup',
  'identityProfile',
  'resourceUID',
] as const;

const propertiesOf = (body: Json | undefined): Json => jsonObject(body?.properties) ?? {};

/** `<dnsPrefix>-<8 characters>.hcp.<region>.azmk8s.io`, stable for a cluster id, as AKS names API servers. */
function apiServerFqdn(clusterId: string, dnsPrefix: string, location: string, portal = false): string {
  const tag = createHash('sha256').update(clusterId.toLowerCase()).digest('hex').slice(0, 8);
  return `${dnsPrefix}-${tag}.${portal ? 'portal.' : ''}hcp.${normalizeLocation(location)}.azmk8s.io`;
}

/** The DNS prefix AKS derives when none is given: `<cluster>-<group>-<subscription prefix>`, as `az aks create` does. */
function defaultDnsPrefix(req: WriteRequest): string {
  const name = String(req.current?.body.name ?? req.path.name ?? 'aks');
  return `${name}-${req.path.resourceGroup ?? 'rg'}-${(req.path.subscriptionId ?? '').slice(0, 6)}`
    .replace(/[^A-Za-z0-9-]/g, '-')
    .slice(0, 54);
}

/**
 * A managed cluster PUT's stored body: id/name/type set, location normalised, read-only fields (fqdn, power state,
 * identities' principal ids…) kept from the stored cluster or filled in, servicePrincipalProfile without any secret
 * (`clientId: msi` for managed identity clusters), and the add-on profile as AKS keeps it.
 */
export function applyCluster(req: WriteRequest, hctx: HandlerContext): Json {
  const { id: _id, name: _name, type: _type, etag: _etag, eTag: _eTag, ...rest } = req.body;
  const before = propertiesOf(req.current?.body);
  const sent = propertiesOf(req.body);
  const location = normalizeLocation(String(rest.location ?? req.current?.body.location ?? 'eastus'));
  const properties: Json = { ...sent };
  for (const k of READ_ONLY_PROPERTIES) {
    if (before[k] !== undefined) properties[k] = before[k];
  }
  const dnsPrefix = String(properties.dnsPrefix ?? before.dnsPrefix ?? defaultDnsPrefix(req));
  properties.dnsPrefix = dnsPrefix;
  properties.fqdn ??= apiServerFqdn(req.id, dnsPrefix, location);
  properties.azurePortalFQDN ??= apiServerFqdn(req.id, dnsPrefix, location, true);
  properties.powerState ??= { code: 'Running' };
  properties.currentKubernetesVersion ??= properties.kubernetesVersion ?? before.kubernetesVersion;
  const clientId =
    jsonObject(sent.servicePrincipalProfile)?.clientId ?? jsonObject(before.servicePrincipalProfile)?.clientId ?? 'msi';
  properties.servicePrincipalProfile = { clientId };
  const identity = jsonObject(rest.identity);
  const identityBefore = jsonObject(req.current?.body.identity);
  const out: Json = {
    id: req.id,
    name: req.current?.body.name ?? req.path.name,
    type: 'Microsoft.ContainerService/managedClusters',
    ...rest,
    location,
  };
  if (identity !== undefined) {
    // A system-assigned identity's principal is AKS's to mint, once.
    const system = String(identity.type ?? '')
      .toLowerCase()
      .includes('systemassigned');
    const principalId = identityBefore?.principalId ?? (system ? randomUUID() : undefined);
    const tenantId = identityBefore?.tenantId ?? hctx.scenario.subscription.tenantId;
    out.identity = { ...identity, ...(principalId === undefined ? {} : { principalId, tenantId }) };
  }
  out.properties = applyAddon(properties, req.current?.body);
  return out;
}
